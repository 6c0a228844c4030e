import { rosterMiddleware } from '@roster/nextjs/server';

// Next 16's proxy (formerly middleware): every page but these needs a signed-in user.
export const proxy = rosterMiddleware({
  publicRoutes: ['/', '/accept-invitation'],
  signInUrl: '/sign-in',
  signUpUrl: '/sign-up',
});

export const config = {
  matcher: ['/((?!_next/|favicon.ico|.*\\.[a-z0-9]+$).*)'],
};

import sharp from 'sharp';
import { AppError } from './domain/errors.js';
import type { ImageNormalizer, NormalizedImage } from './domain/images/images.js';

/** The formats Clerk accepts for logos and profile images, by what the bytes are (not what they claim). */
const ACCEPTED = new Set(['jpeg', 'png', 'gif', 'webp']);
/** Larger than any photo a phone takes; a decompression bomb stops here, before decoding. */
const MAX_INPUT_PIXELS = 50_000_000;
/** Served images fit in this square: crisp as a 40 px avatar at 3x and as an email header. */
export const IMAGE_SIZE = 400;

/**
 * Normalizes uploads with sharp (libvips): reads only the formats above (an SVG, a PDF or a
 * polyglot is refused), honours the EXIF orientation, drops every piece of metadata (a photo's
 * GPS position included), takes the first frame of an animation, fits it in 400 × 400 without
 * enlarging, and writes PNG when it has transparency, JPEG otherwise (both show in every mail client).
 */
export const sharpImages: ImageNormalizer = {
  async normalize(bytes): Promise<NormalizedImage> {
    const input = () => sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false });
    let format: string | undefined;
    let hasAlpha = false;
    try {
      const meta = await input().metadata();
      format = meta.format;
      hasAlpha = meta.hasAlpha === true;
    } catch {
      throw new AppError('image_type_invalid', { meta: { param_name: 'file' } });
    }
    if (!format || !ACCEPTED.has(format)) throw new AppError('image_type_invalid', { meta: { param_name: 'file' } });
    try {
      const resized = input().rotate().resize(IMAGE_SIZE, IMAGE_SIZE, { fit: 'inside', withoutEnlargement: true });
      const encoded = hasAlpha ? resized.png({ compressionLevel: 9 }) : resized.jpeg({ quality: 85, mozjpeg: true });
      const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
      return { data, contentType: hasAlpha ? 'image/png' : 'image/jpeg', width: info.width, height: info.height };
    } catch {
      // Truncated or corrupt past its header.
      throw new AppError('image_type_invalid', { meta: { param_name: 'file' } });
    }
  },
};

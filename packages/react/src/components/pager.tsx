'use client';
import type { ReactNode } from 'react';
import type { PaginatedResources } from '../types.js';
import { type Appearance, classOf } from './appearance.js';

/** Previous / next for a paginated list; nothing when everything fits on one page. */
export function Pager<T>(props: {
  appearance: Appearance | undefined;
  list: PaginatedResources<T>;
  label: string;
}): ReactNode {
  const { appearance, list } = props;
  if (list.pageCount <= 1) return null;
  return (
    <nav aria-label={props.label} className="roster-row" style={{ marginTop: 12, alignItems: 'center' }}>
      <PageButton appearance={appearance} disabled={!list.hasPreviousPage} onClick={list.fetchPrevious}>
        Previous
      </PageButton>
      <span className="roster-muted" style={{ textAlign: 'center' }}>
        Page {list.page} of {list.pageCount}
      </span>
      <PageButton appearance={appearance} disabled={!list.hasNextPage} onClick={list.fetchNext}>
        Next
      </PageButton>
    </nav>
  );
}

function PageButton(props: {
  appearance: Appearance | undefined;
  disabled: boolean;
  onClick: () => void;
  children: ReactNode;
}): ReactNode {
  return (
    <button
      type="button"
      className={classOf(props.appearance, 'buttonSecondary')}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  );
}

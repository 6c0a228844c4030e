'use client';
import type { ReactNode } from 'react';
import { useLocalization } from '../localization/context.js';
import type { PaginatedResources } from '../types.js';
import { type Appearance, classOf } from './appearance.js';

/** Previous / next for a paginated list; nothing when everything fits on one page. */
export function Pager<T>(props: {
  appearance: Appearance | undefined;
  list: PaginatedResources<T>;
  label: string;
}): ReactNode {
  const { appearance, list } = props;
  const { t } = useLocalization();
  if (list.pageCount <= 1) return null;
  return (
    <nav aria-label={props.label} className="roster-row" style={{ marginTop: 12, alignItems: 'center' }}>
      <PageButton appearance={appearance} disabled={!list.hasPreviousPage} onClick={list.fetchPrevious}>
        {t('paginationButton__previous')}
      </PageButton>
      <span className="roster-muted" style={{ textAlign: 'center' }}>
        {t('paginationRowText__page', { page: list.page, pageCount: list.pageCount })}
      </span>
      <PageButton appearance={appearance} disabled={!list.hasNextPage} onClick={list.fetchNext}>
        {t('paginationButton__next')}
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

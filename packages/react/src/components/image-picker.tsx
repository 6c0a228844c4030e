'use client';
import { type ChangeEvent, type ReactNode, useId, useRef, useState } from 'react';
import { useLocalization } from '../localization/context.js';
import type { LocalizationResource } from '../localization/en-US.js';
import { type Appearance, classOf } from './appearance.js';
import { Alert, messageOf, Notice } from './ui.js';

const ACCEPT = 'image/jpeg,image/png,image/gif,image/webp';
const MAX_BYTES = 10 * 1024 * 1024;

/**
 * Upload and Remove buttons for a logo or a profile image. The file input is a real, labelled
 * control (keyboard and screen readers reach it); its label looks like a button. Too large a
 * file is refused here before any upload; the server checks everything again.
 */
export function ImagePicker(props: {
  appearance: Appearance | undefined;
  /** Which image: its labels are `imageUpload.<what>.*` of the localization. */
  what: Exclude<keyof LocalizationResource['imageUpload'], 'uploading' | 'removing' | 'hint'>;
  hasImage: boolean;
  onUpload: (file: File) => Promise<unknown>;
  onRemove: () => Promise<unknown>;
}): ReactNode {
  const { appearance, what } = props;
  const [busy, setBusy] = useState<'upload' | 'remove' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const l = useLocalization();
  const { t } = l;
  const label = (key: 'upload' | 'replace' | 'remove' | 'tooLarge' | 'saved' | 'removed') =>
    t(`imageUpload.${what}.${key}`);

  const run = async (kind: 'upload' | 'remove', work: () => Promise<unknown>, done: string) => {
    setBusy(kind);
    setError(null);
    setNotice(null);
    try {
      await work();
      setNotice(done);
    } catch (e) {
      setError(messageOf(e, l));
    } finally {
      setBusy(null);
      if (input.current) input.current.value = '';
    }
  };

  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file || busy) return;
    if (file.size > MAX_BYTES) {
      setNotice(null);
      setError(label('tooLarge'));
      event.target.value = '';
      return;
    }
    void run('upload', () => props.onUpload(file), label('saved'));
  };

  return (
    <div className="roster-image-picker">
      <div className="roster-image-actions">
        <input
          ref={input}
          id={`${id}-file`}
          type="file"
          accept={ACCEPT}
          className="roster-file-input"
          onChange={onChange}
          disabled={busy !== null}
          aria-describedby={`${id}-hint`}
        />
        <label htmlFor={`${id}-file`} className={classOf(appearance, 'buttonSecondary')} aria-busy={busy === 'upload'}>
          {busy === 'upload' ? t('imageUpload.uploading') : props.hasImage ? label('replace') : label('upload')}
        </label>
        {props.hasImage && (
          <button
            type="button"
            className={classOf(appearance, 'buttonSecondary')}
            aria-disabled={busy !== null || undefined}
            onClick={() => {
              if (!busy) void run('remove', props.onRemove, label('removed'));
            }}
          >
            {busy === 'remove' ? t('imageUpload.removing') : label('remove')}
          </button>
        )}
      </div>
      <p id={`${id}-hint`} className="roster-muted" style={{ margin: '4px 0 0', fontSize: '0.875em' }}>
        {t('imageUpload.hint')}
      </p>
      <Alert appearance={appearance} message={error} />
      <Notice appearance={appearance} message={notice} />
    </div>
  );
}

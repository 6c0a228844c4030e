'use client';
import { type ChangeEvent, type ReactNode, useId, useRef, useState } from 'react';
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
  /** e.g. "logo" or "profile image", used in the labels. */
  what: string;
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

  const run = async (kind: 'upload' | 'remove', work: () => Promise<unknown>, done: string) => {
    setBusy(kind);
    setError(null);
    setNotice(null);
    try {
      await work();
      setNotice(done);
    } catch (e) {
      setError(messageOf(e));
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
      setError(`The ${what} must be at most 10 MB.`);
      event.target.value = '';
      return;
    }
    void run('upload', () => props.onUpload(file), `New ${what} saved.`);
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
          {busy === 'upload' ? 'Uploading…' : props.hasImage ? `Replace ${what}` : `Upload ${what}`}
        </label>
        {props.hasImage && (
          <button
            type="button"
            className={classOf(appearance, 'buttonSecondary')}
            aria-disabled={busy !== null || undefined}
            onClick={() => {
              if (!busy) void run('remove', props.onRemove, `The ${what} was removed.`);
            }}
          >
            {busy === 'remove' ? 'Removing…' : `Remove ${what}`}
          </button>
        )}
      </div>
      <p id={`${id}-hint`} className="roster-muted" style={{ margin: '4px 0 0', fontSize: '0.875em' }}>
        JPEG, PNG, GIF or WebP, up to 10 MB.
      </p>
      <Alert appearance={appearance} message={error} />
      <Notice appearance={appearance} message={notice} />
    </div>
  );
}

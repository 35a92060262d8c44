import { useId, useState } from 'react';

/** A read-only field with a button that copies it; says "Copied" to screen readers too. */
export function CopyField({ label, value, buttonLabel, hint }: { label: string; value: string; buttonLabel: string; hint?: string }) {
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // No clipboard permission (an insecure origin, a refused prompt): select the text so that Ctrl+C copies it.
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      setCopied('failed');
    }
  };
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} type="text" readOnly value={value} aria-describedby={hint ? `${id}-hint` : undefined} onFocus={(event) => event.target.select()} />
        <button type="button" className="button" onClick={() => void copy()} disabled={!value}>
          {buttonLabel}
        </button>
      </div>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <p className="copy-status" role="status">
        {copied === 'yes' ? 'Copied.' : copied === 'failed' ? 'Copying is not allowed here: the text is selected, press Ctrl+C.' : ''}
      </p>
    </div>
  );
}

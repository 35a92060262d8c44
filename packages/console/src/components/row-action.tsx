import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage } from '../api.js';

export interface RowActionProps {
  /** The button's text: "Disable". */
  text: string;
  /** Its accessible name, naming the row: "Disable ana@example.com". */
  name: string;
  run: () => Promise<unknown>;
  onDone?: (result: unknown) => unknown;
  /** Asked before `run`: what happens, and the text of the button that does it. */
  confirm?: { explanation: string; button: string };
  danger?: boolean;
}

/**
 * One action on a table row: a button that runs it, or asks first (a group named after the question, with the
 * confirming button and Cancel). The server's refusal is shown beside it.
 */
export function RowAction({ text, name, run, onDone, confirm, danger }: RowActionProps) {
  const [asking, setAsking] = useState(false);
  const action = useMutation({
    mutationFn: run,
    onSuccess: async (result) => {
      setAsking(false);
      await onDone?.(result);
    },
  });
  const failure = action.isError ? <span role="alert">{errorMessage(action.error)}</span> : null;
  if (!confirm || !asking) {
    return (
      <>
        <button type="button" className="button" aria-label={name} onClick={() => (confirm ? setAsking(true) : action.mutate())} disabled={action.isPending}>
          {text}
        </button>
        {confirm ? null : failure}
      </>
    );
  }
  return (
    <div className="confirm" role="group" aria-label={`${name}?`}>
      <span>{confirm.explanation}</span>
      <button type="button" className={danger ? 'button button-danger' : 'button'} onClick={() => action.mutate()} disabled={action.isPending}>
        {confirm.button}
      </button>
      <button type="button" className="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
      {failure}
    </div>
  );
}

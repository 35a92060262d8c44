import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { api, isApiRequestError, setCsrfToken } from '../api.js';
import { sentence } from '../form-errors.js';
import { SESSION_KEY, type Session } from '../session.js';

/**
 * The page of a one-time link from an e-mail or the CLI: `invite` sets the first password and signs in (`POST
 * /v1/invites/accept`); `reset` sets a new one (`POST /v1/password-reset/complete`), after which the user signs in.
 */
export function SetPassword({ kind, token, onSignedIn }: { kind: 'invite' | 'reset'; token: string; onSignedIn: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const save = useMutation({
    mutationFn: async () => {
      if (kind === 'reset') return api.post<undefined>('/v1/password-reset/complete', { token, password });
      const session = await api.post<Session>('/v1/invites/accept', { token, password, ...(name.trim() ? { name: name.trim() } : {}) });
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(SESSION_KEY, session);
      return session;
    },
    onSuccess: () => {
      if (kind === 'invite') onSignedIn();
    },
  });
  const passwordIssue = isApiRequestError(save.error) ? save.error.issues.find((issue) => issue.path === 'password') : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const title = kind === 'invite' ? 'Welcome to Waypost' : 'Choose a new password';
  return (
    <main className="sign-in" id="main">
      <form className="sign-in-card" onSubmit={submit} aria-labelledby="set-password-title">
        <p className="brand">Waypost</p>
        <h1 id="set-password-title">{title}</h1>
        {save.isSuccess && kind === 'reset' ? (
          <div role="status">
            <p>Your password is set, and every session that was open has ended.</p>
            <Link to="/sign-in">Sign in</Link>
          </div>
        ) : (
          <>
            {save.isError && !passwordIssue ? (
              <div className="alert alert-error" role="alert">
                {sentence(save.error.message)}
              </div>
            ) : null}
            {kind === 'invite' ? (
              <div className="field">
                <label htmlFor="set-password-name">Your name</label>
                <input id="set-password-name" autoComplete="name" value={name} onChange={(event) => setName(event.target.value)} />
              </div>
            ) : null}
            <div className="field">
              <label htmlFor="set-password-password">New password</label>
              <input
                id="set-password-password"
                type="password"
                autoComplete="new-password"
                required
                value={password}
                aria-invalid={passwordIssue ? true : undefined}
                aria-describedby="set-password-hint"
                onChange={(event) => setPassword(event.target.value)}
              />
              <p className="field-hint" id="set-password-hint">
                {passwordIssue ? <span className="field-error">{sentence(passwordIssue.message)}</span> : 'At least 10 characters, not a common password.'}
              </p>
            </div>
            <button type="submit" className="button button-primary button-block" disabled={save.isPending}>
              Set password
            </button>
          </>
        )}
      </form>
    </main>
  );
}

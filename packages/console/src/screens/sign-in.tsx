import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { isApiRequestError } from '../api.js';
import { SESSION_KEY, signIn } from '../session.js';

/** Words for a refused sign-in: the wait after too many tries, else the server's reason. */
export function signInErrorMessage(error: unknown): string {
  if (isApiRequestError(error)) {
    if (error.status === 401) return 'The e-mail or the password is wrong.';
    if (error.status === 429) {
      const minutes = error.retryAfter ? Math.ceil(error.retryAfter / 60) : null;
      return minutes
        ? `Too many sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
        : 'Too many sign-in attempts. Try again later.';
    }
    return error.message;
  }
  return 'The sign-in failed. Try again.';
}

export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const attempt = useMutation({
    mutationFn: () => signIn(email.trim(), password),
    onSuccess: (session) => {
      queryClient.setQueryData(SESSION_KEY, session);
      onSignedIn();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    attempt.mutate();
  };
  return (
    <main className="sign-in" id="main">
      <form className="sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <p className="brand">Waypost</p>
        <h1 id="sign-in-title">Sign in to the console</h1>
        {attempt.isError ? (
          <div className="alert alert-error" role="alert">
            {signInErrorMessage(attempt.error)}
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="sign-in-email">Email</label>
          <input id="sign-in-email" type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="sign-in-password">Password</label>
          <input
            id="sign-in-password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </div>
        <button type="submit" className="button button-primary button-block" disabled={attempt.isPending}>
          Sign in
        </button>
        <p className="field-hint">
          Forgot the password? An owner resets it with <code>waypost users reset-password --email …</code>.
        </p>
      </form>
    </main>
  );
}

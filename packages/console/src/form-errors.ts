import type { ErrorIssue } from '@waypost/schema';
import type { FieldErrors } from 'react-hook-form';

/**
 * Places the server's `issues` on the form: each goes to the field its dotted path names, or to the closest field
 * (`email.to.0` → `email.to`, `cap` → `cap.daily`); what names no field of the form is returned for a message above it.
 */
export function placeIssues(
  issues: ErrorIssue[],
  fields: readonly string[],
): { fieldErrors: { field: string; message: string }[]; formErrors: string[] } {
  const fieldErrors: { field: string; message: string }[] = [];
  const formErrors: string[] = [];
  for (const issue of issues) {
    const field =
      fields.find((name) => name === issue.path) ??
      [...fields].sort((a, b) => b.length - a.length).find((name) => issue.path.startsWith(`${name}.`)) ??
      (issue.path ? fields.find((name) => name.startsWith(`${issue.path}.`)) : undefined);
    if (field) fieldErrors.push({ field, message: issue.message });
    else formErrors.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
  }
  return { fieldErrors, formErrors };
}

/** The first message in `errors` at `name` or below it (zod names `email.to.1` for the second address of `email.to`). */
export function errorAt(errors: FieldErrors, name: string): string | undefined {
  let node: unknown = errors;
  for (const part of name.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return firstMessage(node);
}

function firstMessage(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const { message } = node as { message?: unknown };
  if (typeof message === 'string' && message) return message;
  for (const [key, child] of Object.entries(node)) {
    // `ref` is the DOM element RHF keeps beside a message; walking into it finds nothing useful.
    if (key === 'ref' || key === 'type' || key === 'types') continue;
    const found = firstMessage(child);
    if (found) return found;
  }
  return undefined;
}

/** Server and zod messages start in lower case ("is required in fixed mode"); a message under a field reads as a sentence. */
export function sentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

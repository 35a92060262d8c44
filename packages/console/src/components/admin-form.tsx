import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { type DefaultValues, type FieldValues, type Path, useForm } from 'react-hook-form';
import type { ZodType } from 'zod';
import { errorMessage, isApiRequestError } from '../api.js';
import { placeIssues } from '../form-errors.js';
import { schemaResolver } from '../screens/campaign-shared.js';

interface AdminFormOptions<V extends FieldValues, R> {
  /** The `@waypost/schema` schema the endpoint applies, so that the form says what the server would. */
  schema: ZodType;
  defaultValues: DefaultValues<V>;
  /** The form's input names, which are the API's field paths: where the server's issues land. */
  fields: readonly Path<V>[];
  /** Turns the form's values into the request body and sends it. */
  submit: (values: V) => Promise<R>;
  /**
   * The request body the schema checks, when the form's values are not already shaped like it (rows that become a
   * map). What the schema refuses at no input of `fields` is listed above the form.
   */
  toBody?: (values: V) => unknown;
  onSaved?: (result: R) => void | Promise<void>;
}

/**
 * A react-hook-form form checked by the server's schema before it is sent, whose 4xx issues land at the fields they
 * name and whose other failures are listed above it (`formErrors`).
 */
export function useAdminForm<V extends FieldValues, R>({ schema, defaultValues, fields, submit, onSaved, toBody }: AdminFormOptions<V, R>) {
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const form = useForm<V>({
    defaultValues,
    // The schema checks the request body; the form's blank inputs are left out of it first (see `compact`).
    resolver: toBody
      ? schemaResolver<V>(schema as never, (values) => toBody(compact(values)), () => [...fields], setFormErrors)
      : (((values: V, context: unknown, options: never) => zodResolver(schema as never)(compact(values) as never, context, options)) as never),
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const save = useMutation({
    mutationFn: (values: V) => submit(compact(values) as V),
    onSuccess: async (result) => {
      setFormErrors([]);
      await onSaved?.(result);
    },
    onError: (error) => {
      const placed = isApiRequestError(error) ? placeIssues(error.issues, fields) : { fieldErrors: [], formErrors: [] };
      for (const { field, message } of placed.fieldErrors) form.setError(field as Path<V>, { type: 'server', message }, { shouldFocus: true });
      setFormErrors(placed.fieldErrors.length === 0 && placed.formErrors.length === 0 ? [errorMessage(error)] : placed.formErrors);
    },
  });
  const onSubmit = form.handleSubmit(() => {
    setFormErrors([]);
    save.mutate(form.getValues());
  });
  return { form, save, onSubmit, formErrors };
}

/** Blank text inputs mean "not given": the API's optional fields are absent, never "". */
export function compact<T>(values: T): T {
  if (Array.isArray(values)) return values.map(compact) as T;
  if (values === null || typeof values !== 'object') return values;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() === '') continue;
    out[key] = compact(value);
  }
  return out as T;
}

/** What the server refused that names no field of the form, or why the request failed. */
export function FormErrors({ what, messages }: { what: string; messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div className="alert alert-error" role="alert">
      <p>{what}</p>
      <ul>
        {messages.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
    </div>
  );
}

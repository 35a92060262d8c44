import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Publisher, UpdatePublisherParamsSchema } from '@waypost/schema';
import { useEffect, useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { z } from 'zod';
import { api, errorMessage, isApiRequestError, request } from '../api.js';
import { TextField } from '../components/fields.js';
import { placeIssues } from '../form-errors.js';
import { useCurrentSession } from '../session.js';
import { emptyFieldMessage } from './portal-offers.js';
import { LoadError } from './portal-promo-codes.js';
import './portal.css';

type PostbackForm = { postbackUrl: string };

/** The form's value as the API's body: an empty field stops the notifications (null). */
const PostbackFormSchema = z
  .custom<PostbackForm>()
  .transform((values) => ({ postbackUrl: values.postbackUrl.trim() || null }))
  .pipe(UpdatePublisherParamsSchema.pick({ postbackUrl: true }).required());

/** `/portal/postback`: where Waypost reports the publisher's conversions to its own tracker (`PUT /v1/publishers/:id/postback`). */
export function PortalPostbackScreen() {
  const session = useCurrentSession();
  const queryClient = useQueryClient();
  const publisherId = session.user.publisherId ?? '';
  const publisher = useQuery({
    queryKey: ['portal', 'publisher'],
    queryFn: () => api.get<Publisher>(`/v1/publishers/${encodeURIComponent(publisherId)}`),
    enabled: publisherId !== '',
  });
  const form = useForm<PostbackForm>({
    resolver: zodResolver(PostbackFormSchema, { error: (issue) => emptyFieldMessage(issue as never) }) as never,
    defaultValues: { postbackUrl: '' },
  });
  const { reset } = form;
  useEffect(() => {
    if (publisher.data) reset({ postbackUrl: publisher.data.postbackUrl ?? '' });
  }, [publisher.data, reset]);
  const [formError, setFormError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (values: PostbackForm) =>
      request<Publisher>('PUT', `/v1/publishers/${encodeURIComponent(publisherId)}/postback`, { body: { postbackUrl: values.postbackUrl.trim() || null } }),
    onSuccess: (saved) => queryClient.setQueryData(['portal', 'publisher'], saved),
    onError: (error) => {
      const { fieldErrors, formErrors } = placeIssues(isApiRequestError(error) ? error.issues : [], ['postbackUrl']);
      for (const issue of fieldErrors) form.setError('postbackUrl', { message: issue.message });
      setFormError(formErrors.join(' ') || (fieldErrors.length ? null : errorMessage(error)));
    },
  });

  return (
    <section className="screen" aria-labelledby="portal-postback-title">
      <header className="screen-header">
        <h1 id="portal-postback-title">Postback settings</h1>
      </header>
      {publisher.isError ? (
        <LoadError what="settings" error={publisher.error} retry={() => void publisher.refetch()} />
      ) : publisher.isPending ? (
        <p role="status">Loading the settings…</p>
      ) : (
        <FormProvider {...form}>
          <form
            className="panel offer-form"
            noValidate
            onSubmit={form.handleSubmit(() => {
              setFormError(null);
              // The typed value: handleSubmit hands over the schema's output, the API's body.
              save.mutate(form.getValues());
            })}
          >
            <p>Waypost calls this URL on each of your conversions, so that your own tracker counts it too.</p>
            {formError ? (
              <p className="alert alert-error" role="alert">
                {formError}
              </p>
            ) : null}
            <TextField<PostbackForm>
              name="postbackUrl"
              label="Postback URL"
              inputMode="url"
              placeholder="https://tracker.example/postback?cid={sub1}&payout={payout}"
              hint="Macros: {click_id}, {sub1} to {sub5}, {transaction_id}, {amount}, {payout}, {currency}, {status}, {coupon}. Leave it empty to stop the calls."
            />
            <div className="form-actions">
              <button type="submit" className="button button-primary" disabled={save.isPending}>
                Save
              </button>
              <p role="status" className="copy-status">
                {save.isSuccess && !form.formState.isDirty ? 'Saved.' : ''}
              </p>
            </div>
          </form>
        </FormProvider>
      )}
    </section>
  );
}

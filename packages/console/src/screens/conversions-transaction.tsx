import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type Conversion, CreateTransactionParamsSchema } from '@waypost/schema';
import { FormProvider, useWatch } from 'react-hook-form';
import { api } from '../api.js';
import { FormErrors, useAdminForm } from '../components/admin-form.js';
import { useOfferOptions, usePublisherOptions } from '../components/admin-options.js';
import { SelectField, TextAreaField, TextField } from '../components/fields.js';
import { decimalsOf, normaliseAmountInput } from '../money.js';
import { canWrite, useCurrentSession } from '../session.js';

interface TransactionFormValues {
  offerId: string;
  publisherId: string;
  couponCode: string;
  amount: string;
  currency: string;
  transactionId: string;
  status: string;
  note: string;
}

const FIELDS = ['offerId', 'publisherId', 'couponCode', 'amount', 'currency', 'transactionId', 'status', 'note'] as const;

/** `/conversions/new-transaction`: a manual transaction (`POST /v1/transactions`), a sale booked without a click. */
export function NewTransactionScreen() {
  const session = useCurrentSession();
  return (
    <section className="screen" aria-labelledby="new-transaction-title">
      <h1 id="new-transaction-title">Add transaction</h1>
      {canWrite(session) ? <TransactionForm /> : <p role="alert">Your role reads conversions but does not add them.</p>}
    </section>
  );
}

function TransactionForm() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const offers = useOfferOptions();
  const publishers = usePublisherOptions();
  const { form, save, onSubmit, formErrors } = useAdminForm<TransactionFormValues, Conversion>({
    schema: CreateTransactionParamsSchema,
    defaultValues: { offerId: '', publisherId: '', couponCode: '', amount: '', currency: '', transactionId: '', status: '', note: '' },
    fields: FIELDS,
    submit: (values) => api.post<Conversion>('/v1/transactions', values),
    onSaved: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['conversions'] });
      void navigate({ to: '/conversions', search: (result.transactionId ? { transactionId: result.transactionId } : {}) as never });
    },
  });
  const [offerId, typedCurrency] = useWatch({ control: form.control, name: ['offerId', 'currency'] });
  const currency = typedCurrency.trim().toUpperCase() || offers.byId.get(offerId)?.currency || '';
  return (
    <FormProvider {...form}>
      <form className="offer-form" onSubmit={onSubmit} noValidate aria-label="New transaction">
        <FormErrors what="The transaction was not booked." messages={formErrors} />
        <fieldset>
          <legend>Sale</legend>
          <SelectField<TransactionFormValues> name="offerId" label="Offer" choices={[{ value: '', label: 'Choose an offer' }, ...offers.list.map((offer) => ({ value: offer.id, label: `${offer.name} (${offer.currency})` }))]} />
          <SelectField<TransactionFormValues>
            name="publisherId"
            label="Publisher"
            hint="Or leave it and give the promo code, whose publisher gets the sale."
            choices={[{ value: '', label: 'No publisher' }, ...publishers.list.map((publisher) => ({ value: publisher.id, label: publisher.name }))]}
          />
          <TextField<TransactionFormValues> name="couponCode" label="Promo code" autoComplete="off" />
          <div className="field-row">
            <TextField<TransactionFormValues>
              name="amount"
              label="Amount"
              inputMode="decimal"
              hint={currency ? `In ${currency}, ${decimalsOf(currency)} decimals` : "In the offer's currency"}
              options={{ onBlur: (event: { target: { value: string } }) => currency && form.setValue('amount', normaliseAmountInput(event.target.value, currency)) }}
            />
            <TextField<TransactionFormValues> name="currency" label="Currency" placeholder="The offer's" hint="Three letters, such as EUR; empty for the offer's currency." />
          </div>
          <TextField<TransactionFormValues> name="transactionId" label="Transaction ID" autoComplete="off" hint="The order number: a second transaction with it is a duplicate." />
          <SelectField<TransactionFormValues>
            name="status"
            label="Status"
            choices={[
              { value: '', label: "The offer's default" },
              { value: 'pending', label: 'Pending' },
              { value: 'approved', label: 'Approved' },
              { value: 'rejected', label: 'Rejected' },
            ]}
          />
          <TextAreaField<TransactionFormValues> name="note" label="Note" rows={3} />
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            Book transaction
          </button>
          <button type="button" className="button" onClick={() => void navigate({ to: '/conversions' })}>
            Cancel
          </button>
        </div>
      </form>
    </FormProvider>
  );
}

import { type ReactNode, useId } from 'react';
import { type FieldValues, type Path, type RegisterOptions, useFormContext } from 'react-hook-form';
import { errorAt, sentence } from '../form-errors.js';

interface FieldProps<T extends FieldValues> {
  name: Path<T>;
  label: string;
  /** A line under the input, such as the unit or the format. */
  hint?: ReactNode;
  options?: RegisterOptions<T, Path<T>>;
}

/** The label, the hint and the field's error message, tied to the input by id so screen readers read all three. */
function useFieldIds<T extends FieldValues>(name: Path<T>, hint: ReactNode | undefined) {
  const id = useId();
  const { formState } = useFormContext<T>();
  const error = errorAt(formState.errors, name);
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return {
    id,
    error,
    inputProps: { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy },
    after: (
      <>
        {hint ? (
          <p className="field-hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
        {error ? (
          <p className="field-error" id={`${id}-error`}>
            {sentence(error)}
          </p>
        ) : null}
      </>
    ),
  };
}

export function TextField<T extends FieldValues>({
  name,
  label,
  hint,
  options,
  type = 'text',
  ...input
}: FieldProps<T> & { type?: string; inputMode?: 'decimal' | 'numeric' | 'url' | 'email'; placeholder?: string; autoComplete?: string; min?: number; step?: number | 'any' }) {
  const { register } = useFormContext<T>();
  const { id, inputProps, after } = useFieldIds<T>(name, hint);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input type={type} {...input} {...inputProps} {...register(name, options)} />
      {after}
    </div>
  );
}

export function TextAreaField<T extends FieldValues>({ name, label, hint, options, rows = 4 }: FieldProps<T> & { rows?: number }) {
  const { register } = useFormContext<T>();
  const { id, inputProps, after } = useFieldIds<T>(name, hint);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea rows={rows} {...inputProps} {...register(name, options)} />
      {after}
    </div>
  );
}

export function SelectField<T extends FieldValues>({
  name,
  label,
  hint,
  options,
  choices,
}: FieldProps<T> & { choices: readonly { value: string; label: string }[] }) {
  const { register, getValues } = useFormContext<T>();
  const { id, inputProps, after } = useFieldIds<T>(name, hint);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {/* React picks the option on mount; the form's ref alone can run before the options are in the select. */}
      <select defaultValue={getValues(name)} {...inputProps} {...register(name, options)}>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
      {after}
    </div>
  );
}

export function CheckboxField<T extends FieldValues>({ name, label, hint, options }: FieldProps<T>) {
  const { register } = useFormContext<T>();
  const { id, inputProps, after } = useFieldIds<T>(name, hint);
  return (
    <div className="field field-checkbox">
      <input type="checkbox" {...inputProps} {...register(name, options)} />
      <label htmlFor={id}>{label}</label>
      {after}
    </div>
  );
}

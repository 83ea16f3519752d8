import { useId } from 'react';

interface TextFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  maxLength: number;
  autoComplete: string;
  multiline?: boolean;
  type?: 'text' | 'password' | 'number';
}

/** A labelled input whose error sits right under it and is tied to it for screen readers. */
export function TextField({
  label,
  value,
  onChange,
  error,
  maxLength,
  autoComplete,
  multiline = false,
  type = 'text',
}: TextFieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const shared = {
    id,
    value,
    maxLength,
    autoComplete,
    'aria-invalid': error !== undefined,
    'aria-describedby': error === undefined ? undefined : errorId,
    className: `w-full rounded-lg border px-3 py-2 ${error === undefined ? 'border-stone-300' : 'border-red-600'}`,
  };
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium">
        {label}
      </label>
      {multiline ? (
        <textarea {...shared} rows={3} onChange={(event) => onChange(event.currentTarget.value)} />
      ) : (
        <input {...shared} type={type} onChange={(event) => onChange(event.currentTarget.value)} />
      )}
      {error !== undefined && (
        <p id={errorId} className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

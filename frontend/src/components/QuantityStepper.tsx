interface QuantityStepperProps {
  /** What is being counted, for the accessible names ("Quantity of Margherita"). */
  label: string;
  value: number;
  max: number;
  onChange: (quantity: number) => void;
}

const buttonClass =
  'h-9 w-9 rounded-md border border-stone-300 bg-white text-lg leading-none hover:bg-stone-100 disabled:opacity-40 disabled:hover:bg-white';

/** − [n] + with a typed-in value clamped by the caller's rules. */
export function QuantityStepper({ label, value, max, onChange }: QuantityStepperProps) {
  return (
    <div className="flex items-center gap-1">
      <button
        type="button"
        className={buttonClass}
        aria-label={`One less ${label}`}
        onClick={() => onChange(value - 1)}
      >
        −
      </button>
      <input
        type="number"
        inputMode="numeric"
        aria-label={`Quantity of ${label}`}
        className="h-9 w-14 rounded-md border border-stone-300 text-center tabular-nums"
        min={0}
        max={max}
        value={value}
        onChange={(event) => {
          // An emptied field is a number being typed, not a request to remove the line.
          const typed = event.currentTarget.valueAsNumber;
          if (!Number.isNaN(typed)) onChange(typed);
        }}
      />
      <button
        type="button"
        className={buttonClass}
        aria-label={`One more ${label}`}
        disabled={value >= max}
        onClick={() => onChange(value + 1)}
      >
        +
      </button>
    </div>
  );
}

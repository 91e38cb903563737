/**
 * Reading and replacing the aggregated field of a record: a property of an object, an index of a
 * tuple, or the value itself for streams of numbers (no field). Replacing copies the record
 * (plain objects by spread, class instances keeping their prototype, tuples by slice), so results
 * already emitted are never changed afterwards.
 */

/** A field of `T`, or undefined for the element itself. */
export type FieldName = string | number | undefined;

export function getField(value: unknown, field: FieldName): unknown {
  return field === undefined ? value : (value as Record<string | number, unknown>)[field];
}

/**
 * The value of a field that `sum` adds: a number or a bigint. Anything else (a string, a missing
 * field) is a mistake the type checker catches in TypeScript; JavaScript callers get this error
 * (wrapped in a UserFunctionError naming the operator) instead of string concatenation or NaN.
 */
export function numericField(value: unknown, field: FieldName): number {
  const v = getField(value, field);
  if (typeof v !== 'number' && typeof v !== 'bigint') {
    const what = field === undefined ? 'the element' : `field '${String(field)}'`;
    throw new TypeError(`sum(${field === undefined ? '' : `'${String(field)}'`}): ${what} is ${v === undefined ? 'missing' : `a ${typeof v} (${JSON.stringify(v)})`}, not a number`);
  }
  return v as number;
}

export function withField<T>(record: T, field: FieldName, fieldValue: unknown): T {
  if (field === undefined) return fieldValue as T;
  if (Array.isArray(record)) {
    const copy = record.slice();
    copy[field as number] = fieldValue;
    return copy as T;
  }
  const proto = Object.getPrototypeOf(record) as object | null;
  if (proto === Object.prototype || proto === null) {
    // A clone of the same shape, then a store into it: V8 clones a plain object's shape in one step
    // (a literal with a computed key after the spread takes a slower path). `__proto__` must be
    // defined, not set.
    if (field === '__proto__') return { ...(record as object), [field]: fieldValue } as T;
    const copy = { ...(record as object) } as Record<string | number, unknown>;
    copy[field] = fieldValue;
    return copy as T;
  }
  const copy = Object.create(proto) as Record<string | number, unknown>;
  Object.assign(copy, record);
  copy[field] = fieldValue;
  return copy as T;
}

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

export function withField<T>(record: T, field: FieldName, fieldValue: unknown): T {
  if (field === undefined) return fieldValue as T;
  if (Array.isArray(record)) {
    const copy = record.slice();
    copy[field as number] = fieldValue;
    return copy as T;
  }
  const proto = Object.getPrototypeOf(record) as object | null;
  if (proto === Object.prototype || proto === null) return { ...(record as object), [field]: fieldValue } as T;
  const copy = Object.create(proto) as Record<string | number, unknown>;
  Object.assign(copy, record);
  copy[field] = fieldValue;
  return copy as T;
}

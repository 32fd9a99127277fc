import { getMetadataStorage, registerDecorator, validate, type ValidationError } from 'class-validator';
import type { ResolverData } from 'type-graphql';
import { AppError } from './errors.js';
import { isBlank } from './text.js';

/** class-validator errors as `{ field: 'input.location.lat', message }`, children included. */
function flatten(errors: ValidationError[], prefix: string): Array<{ field: string; message: string }> {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith(`${e.property} `) ? message.slice(e.property.length + 1) : message,
    }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** The name of the argument holding `value` (an @ArgsType holds them all: no prefix). */
function argName(value: object, args: Record<string, unknown>): string {
  const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
  if (keys.length > 0 && keys.every((k) => k in args)) return '';
  const candidates = Object.entries(args).filter(([, v]) => v !== null && typeof v === 'object' && !Array.isArray(v));
  const match = candidates.find(([, v]) => keys.every((k) => k in (v as object)));
  return (match ?? candidates[0])?.[0] ?? '';
}

/** Whether class-validator has any rule for a class (most paging argument classes have none); kept per class. */
const ruled = new WeakMap<object, boolean>();
function hasRules(item: object): boolean {
  const type = item.constructor;
  let known = ruled.get(type);
  if (known === undefined) {
    known = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).length > 0;
    ruled.set(type, known);
  }
  return known;
}

/**
 * type-graphql's validator: runs class-validator on input objects and answers BAD_USER_INPUT
 * naming the first offending field (e.g. `input.email: must be a valid email address`), with all of them in `problems`.
 */
export async function validateInput(value: unknown, _type: unknown, data: ResolverData): Promise<void> {
  if (value === null || typeof value !== 'object' || value instanceof Date) return;
  const items = Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (item === null || typeof item !== 'object' || !hasRules(item)) continue;
    const errors = await validate(item, { forbidUnknownValues: false, validationError: { target: false, value: false } });
    if (errors.length === 0) continue;
    const problems = flatten(errors, argName(item, data.args));
    throw new AppError('BAD_USER_INPUT', `${problems[0].field}: ${problems[0].message}`, { field: problems[0].field, problems });
  }
}

/** A name or title must show something: not blank, nor made only of zero-width or other invisible characters (text.ts). */
export function NotBlank(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'notBlank',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must not be blank' },
      validator: { validate: (value: unknown) => typeof value !== 'string' || !isBlank(value) },
    });
}

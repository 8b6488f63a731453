import { Ajv, type ErrorObject } from 'ajv';
import type { FastifySchemaCompiler } from 'fastify';
import { DialerError, type Issue, type IssueCode, quote } from '../errors.js';
import { unknownKeyMessage } from '../policy/closest.js';

/** Fields whose problems have a code of their own (spec section 2); others are `invalid.body` or `invalid.option`. */
const FIELD_CODES: Readonly<Record<string, IssueCode>> = {
  retryIntervalInMinutes: 'invalid.retry.interval',
};

// Bodies are checked as sent; query strings and path parameters are text, read as the schema's types.
const strict = new Ajv({ allErrors: true, verbose: true, strict: false, useDefaults: true });
const coercing = new Ajv({
  allErrors: true,
  verbose: true,
  strict: false,
  useDefaults: true,
  coerceTypes: 'array',
});

/** Fastify's validator compiler: JSON schemas of bodies as sent, of query strings and parameters with text read as numbers. */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strict : coercing).compile(schema as object);

/**
 * The DialerError of a request that its route's schema rejects: one issue per problem, its path inside
 * the part (`body`, `querystring`, `params`, `headers`), `invalid.body` for bodies, `invalid.option` for
 * the other parts (or the field's own code, such as `invalid.retry.interval`).
 */
export function validationError(errors: readonly ErrorObject[], part: string): DialerError {
  const issues = errors.map((error): Issue => {
    const path: (string | number)[] = error.instancePath
      .split('/')
      .slice(1)
      .map((step) => (/^\d+$/.test(step) ? Number(step) : step.replaceAll('~1', '/').replaceAll('~0', '~')));
    const params = error.params as { missingProperty?: string; additionalProperty?: string };
    const field = [...path].reverse().find((step): step is string => typeof step === 'string');
    const code =
      (field === undefined ? undefined : FIELD_CODES[field]) ??
      (part === 'body' ? 'invalid.body' : 'invalid.option');
    const where = [part, ...path]
      .map((step) => (typeof step === 'number' ? `[${step}]` : step))
      .join('.')
      .replaceAll('.[', '[');
    if (error.keyword === 'required')
      return { path, code, message: `${where} is missing the field \`${params.missingProperty}\`.` };
    if (error.keyword === 'additionalProperties') {
      const known = Object.keys(
        (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      return {
        path: [...path, params.additionalProperty ?? ''],
        code,
        message: `${where}: ${unknownKeyMessage('field', params.additionalProperty ?? '', known)}.`,
      };
    }
    return {
      path,
      code,
      message: `${where} ${quote(error.data)} is not valid: it ${error.message ?? 'breaks its schema'}.`,
    };
  });
  return new DialerError(issues);
}

/**
 * A route's validator compiler that checks the body against `bodySchema` instead of the documented
 * one (no check when undefined): for bodies whose policy fields the campaign validates, with the issue
 * codes of spec section 2, while the document shows them whole.
 */
export function bodyCheckedAs(bodySchema: object | undefined): FastifySchemaCompiler<unknown> {
  return (route) => {
    if (route.httpPart !== 'body') return validatorCompiler(route);
    return bodySchema === undefined ? () => true : strict.compile(bodySchema);
  };
}

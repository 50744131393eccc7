// Validates Ashby request and response bodies against Ashby's published OpenAPI 3.1 document
// (a copy sits beside the repository). OpenAPI 3.1 schemas are JSON Schema 2020-12, so ajv's
// 2020 build compiles them directly; `$ref`s point into `#/paths/...` of the same document.
//
// Response relaxation: real Ashby responses carry explicit `null` for optional fields that the
// document types only as object or string (`source`, `creditedToUser`, `archiveReason`,
// `timezone`, `customRequisitionId`, `submitterClientIp`, `interviewStageGroupId`, `actorId`, ...).
// Response validation therefore also accepts `null` for OPTIONAL properties; a required property
// must still match its schema. Request validation stays strict.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Ashby's OpenAPI document, kept outside the repository next to it. */
export const ASHBY_OPENAPI_PATH = path.resolve(REPO_ROOT, '../shared/reference/ashby-openapi.yml');

const DOCUMENT_ID = 'https://ashby.openapi.invalid/ashby-openapi.json';

/** Pointer to the shared error envelope schema (the document defines it once, under report.generate's 429). */
const ERROR_SCHEMA_POINTER = '#/paths/~1report.generate/post/responses/429/content/application~1json/schema';

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Collects the JSON pointers of every optional property schema (not required by the object or by an allOf sibling). */
function collectOptionalProperties(node: unknown, pointer: string, inheritedRequired: Set<string>, out: Set<string>): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => collectOptionalProperties(item, `${pointer}/${index}`, new Set(), out));
    return;
  }
  if (!isObject(node)) return;

  const required = new Set(inheritedRequired);
  if (Array.isArray(node['required'])) for (const name of node['required']) if (typeof name === 'string') required.add(name);

  for (const [key, child] of Object.entries(node)) {
    const childPointer = `${pointer}/${escapePointer(key)}`;
    if (key === 'properties' && isObject(child)) {
      for (const [name, propertySchema] of Object.entries(child)) {
        const propertyPointer = `${childPointer}/${escapePointer(name)}`;
        if (!required.has(name)) out.add(propertyPointer);
        collectOptionalProperties(propertySchema, propertyPointer, new Set(), out);
      }
    } else if (key === 'allOf' && Array.isArray(child)) {
      // `required` may sit in a sibling of the allOf member that declares the property.
      const siblingsRequired = new Set<string>();
      for (const member of child) {
        if (isObject(member) && Array.isArray(member['required'])) {
          for (const name of member['required']) if (typeof name === 'string') siblingsRequired.add(name);
        }
      }
      child.forEach((member, index) => collectOptionalProperties(member, `${childPointer}/${index}`, siblingsRequired, out));
    } else {
      collectOptionalProperties(child, childPointer, new Set(), out);
    }
  }
}

/** Maps a pointer in the original document to the same schema in the relaxed one (inside each wrapper's `anyOf/0`). */
function relocatePointer(pointer: string, wrapped: Set<string>): string {
  const segments = pointer.slice(1).split('/').filter((segment) => segment !== '');
  let original = '';
  let relocated = '';
  for (const segment of segments) {
    original += `/${segment}`;
    relocated += `/${segment}`;
    if (wrapped.has(original)) relocated += '/anyOf/0';
  }
  return `#${relocated}`;
}

/** Returns a copy of the document where optional properties also accept null, with `$ref`s moved to match. */
function relaxDocument(document: JsonObject): JsonObject {
  const wrapped = new Set<string>();
  collectOptionalProperties(document['paths'], '/paths', new Set(), wrapped);
  collectOptionalProperties(document['webhooks'], '/webhooks', new Set(), wrapped);

  const rewrite = (node: unknown, pointer: string): unknown => {
    if (Array.isArray(node)) return node.map((item, index) => rewrite(item, `${pointer}/${index}`));
    if (!isObject(node)) return node;
    const copy: JsonObject = {};
    for (const [key, child] of Object.entries(node)) {
      const childPointer = `${pointer}/${escapePointer(key)}`;
      if (key === '$ref' && typeof child === 'string' && child.startsWith('#/')) {
        copy[key] = relocatePointer(child, wrapped);
      } else {
        copy[key] = rewrite(child, childPointer);
      }
      if (wrapped.has(childPointer)) copy[key] = { anyOf: [copy[key], { type: 'null' }] };
    }
    return copy;
  };
  return rewrite(document, '') as JsonObject;
}

function newAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  const addFormats = addFormatsModule as unknown as (instance: Ajv2020) => void;
  addFormats(ajv);
  // OpenAPI format names that JSON Schema does not define; `type` already checks these values.
  for (const format of ['int32', 'int64', 'float', 'double', 'binary', 'byte', 'currency', 'password']) {
    ajv.addFormat(format, true);
  }
  return ajv;
}

export interface ValidationResult {
  valid: boolean;
  errors: string[];
}

function formatErrors(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
}

export interface AshbyOpenApi {
  /** Validates a 200 response body (success or error envelope) of `endpoint` (`candidate.create`). */
  validateResponse(endpoint: string, body: unknown): ValidationResult;
  /** Validates a non-200 JSON body against the document's shared error envelope. */
  validateErrorEnvelope(body: unknown): ValidationResult;
  /** Validates a request body against the endpoint's request schema (strict: no null relaxation). */
  validateRequest(endpoint: string, body: unknown, contentType?: 'application/json' | 'multipart/form-data'): ValidationResult;
  /** The document's paths, for checks such as "this endpoint exists". */
  endpoints(): string[];
}

class Validators implements AshbyOpenApi {
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(
    private readonly strict: Ajv2020,
    private readonly relaxed: Ajv2020,
    private readonly document: JsonObject,
  ) {}

  private compile(ajv: Ajv2020, cacheKey: string, pointer: string): ValidateFunction {
    const cached = this.cache.get(cacheKey);
    if (cached) return cached;
    const validate = ajv.getSchema(`${DOCUMENT_ID}${pointer}`);
    if (!validate) throw new Error(`The OpenAPI document has no schema at ${pointer}`);
    this.cache.set(cacheKey, validate);
    return validate;
  }

  private requirePath(endpoint: string): void {
    const paths = this.document['paths'];
    if (!isObject(paths) || !isObject(paths[`/${endpoint}`])) {
      throw new Error(`The OpenAPI document has no path /${endpoint}`);
    }
  }

  validateResponse(endpoint: string, body: unknown): ValidationResult {
    this.requirePath(endpoint);
    const pointer = `#/paths/${escapePointer(`/${endpoint}`)}/post/responses/200/content/application~1json/schema`;
    const validate = this.compile(this.relaxed, `response:${endpoint}`, pointer);
    const valid = validate(body);
    return { valid, errors: valid ? [] : formatErrors(validate.errors) };
  }

  validateErrorEnvelope(body: unknown): ValidationResult {
    const validate = this.compile(this.relaxed, 'error-envelope', ERROR_SCHEMA_POINTER);
    const valid = validate(body);
    return { valid, errors: valid ? [] : formatErrors(validate.errors) };
  }

  validateRequest(endpoint: string, body: unknown, contentType: 'application/json' | 'multipart/form-data' = 'application/json'): ValidationResult {
    this.requirePath(endpoint);
    const pointer = `#/paths/${escapePointer(`/${endpoint}`)}/post/requestBody/content/${escapePointer(contentType)}/schema`;
    const validate = this.compile(this.strict, `request:${endpoint}:${contentType}`, pointer);
    const valid = validate(body);
    return { valid, errors: valid ? [] : formatErrors(validate.errors) };
  }

  endpoints(): string[] {
    const paths = this.document['paths'];
    return isObject(paths) ? Object.keys(paths).map((key) => key.slice(1)) : [];
  }
}

let loaded: AshbyOpenApi | null = null;

/** Loads and compiles the document once per process (about a second for its 164 paths). */
export function loadAshbyOpenApi(documentPath: string = ASHBY_OPENAPI_PATH): AshbyOpenApi {
  if (loaded && documentPath === ASHBY_OPENAPI_PATH) return loaded;
  const document = parse(readFileSync(documentPath, 'utf8')) as JsonObject;
  const strict = newAjv();
  strict.addSchema(document, DOCUMENT_ID);
  const relaxed = newAjv();
  relaxed.addSchema(relaxDocument(document), DOCUMENT_ID);
  const validators = new Validators(strict, relaxed, document);
  if (documentPath === ASHBY_OPENAPI_PATH) loaded = validators;
  return validators;
}

/** Throws with every schema error listed when `result` is invalid; for use in tests. */
export function expectValid(result: ValidationResult, what: string): void {
  if (!result.valid) throw new Error(`${what} does not match the OpenAPI schema:\n  ${result.errors.join('\n  ')}`);
}

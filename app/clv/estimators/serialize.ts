/**
 * Fitted models as JSON: `fittedToJSON` and the validating parser `fittedFromJSON` (errors name
 * the malformed field). Re-exported by ./common.ts.
 */
import type { FittedModel, ModelName } from "./types";

/** A serialised fitted model failed validation (wrong model, missing or malformed field). */
export class FittedModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FittedModelError";
  }
}

const MODELS: readonly ModelName[] = ["bgnbd", "mbgnbd", "pnbd", "bgbb", "gg"];

/** Serialises a fitted model (plain JSON; NaN/Infinity never appear in a validated form). */
export function fittedToJSON(fitted: FittedModel): string {
  return JSON.stringify(fitted);
}

/**
 * Parses and validates a fitted model (a JSON string or an already parsed object). Throws
 * {@link FittedModelError} naming the malformed field. When `model` is given, the form must be of
 * that model and carry exactly `paramNames`.
 */
export function fittedFromJSON<K extends string>(
  input: unknown,
  model?: ModelName,
  paramNames?: readonly K[],
): FittedModel<K> {
  let obj: unknown = input;
  if (typeof input === "string") {
    try {
      obj = JSON.parse(input);
    } catch (e) {
      throw new FittedModelError(`fitted model is not valid JSON: ${(e as Error).message}`);
    }
  }
  const bad = (path: string, what: string): never => {
    throw new FittedModelError(`fitted model: ${path} ${what}`);
  };
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) bad("(root)", "must be an object");
  const o = obj as Record<string, unknown>;
  if (!MODELS.includes(o.model as ModelName))
    bad("model", `must be one of ${MODELS.join(", ")} (got ${JSON.stringify(o.model)})`);
  if (model && o.model !== model) bad("model", `must be "${model}" (got "${String(o.model)}")`);
  if (o.version !== 1) bad("version", `must be 1 (got ${JSON.stringify(o.version)})`);
  const isObj = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObj(o.params)) bad("params", "must be an object");
  const params = o.params as Record<string, unknown>;
  const keys = paramNames ?? (Object.keys(params) as K[]);
  if (keys.length === 0) bad("params", "is empty");
  for (const key of keys) {
    const v = params[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0)
      bad(`params.${key}`, `must be a positive finite number (got ${JSON.stringify(v)})`);
  }
  if (paramNames)
    for (const key of Object.keys(params))
      if (!paramNames.includes(key as K)) bad(`params.${key}`, "is not a parameter of this model");
  if (!isObj(o.standardErrors)) bad("standardErrors", "must be an object");
  const se = o.standardErrors as Record<string, unknown>;
  for (const key of keys) {
    const v = se[key];
    if (v !== null && (typeof v !== "number" || !Number.isFinite(v) || v < 0))
      bad(`standardErrors.${key}`, `must be null or a finite number >= 0 (got ${JSON.stringify(v)})`);
  }
  const cov = o.logParamCovariance;
  if (cov !== null) {
    if (!Array.isArray(cov) || cov.length !== keys.length)
      bad("logParamCovariance", `must be null or a ${keys.length}×${keys.length} matrix`);
    (cov as unknown[]).forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== keys.length)
        bad(`logParamCovariance[${i}]`, `must have ${keys.length} entries`);
      (row as unknown[]).forEach((v, j) => {
        if (typeof v !== "number" || !Number.isFinite(v))
          bad(`logParamCovariance[${i}][${j}]`, "must be a finite number");
      });
    });
  }
  for (const f of ["logLikelihood", "n", "rows", "penalizer"] as const)
    if (typeof o[f] !== "number" || !Number.isFinite(o[f] as number))
      bad(f, `must be a finite number (got ${JSON.stringify(o[f])})`);
  if (!isObj(o.diagnostics)) bad("diagnostics", "must be an object");
  const d = o.diagnostics as Record<string, unknown>;
  if (typeof d.converged !== "boolean") bad("diagnostics.converged", "must be a boolean");
  if (typeof d.reason !== "string") bad("diagnostics.reason", "must be a string");
  if (typeof d.method !== "string") bad("diagnostics.method", "must be a string");
  for (const f of ["iterations", "fitMs"] as const)
    if (typeof d[f] !== "number" || !Number.isFinite(d[f] as number))
      bad(`diagnostics.${f}`, "must be a finite number");
  if (d.gradNorm !== null && typeof d.gradNorm !== "number") bad("diagnostics.gradNorm", "must be a number or null");
  if (d.gradNorm === null) d.gradNorm = NaN; // JSON turns NaN (no gradient computed) into null
  return o as unknown as FittedModel<K>;
}

import { z } from 'zod'
import type { SettingSpec } from './setting-spec.ts'
import { LIMITS, SETTING_KEYS, SETTINGS, type SettingKey } from './settings.ts'
import { compilePatterns } from './url-patterns.ts'

/**
 * The run configuration: one schema, built from the settings table (shared/settings.ts) where each
 * setting's type, default and bounds are written once. Main, the browser host and the headless
 * runner parse every incoming config against it.
 */

export { LIMITS }

type Table = typeof SETTINGS

type ChoiceValue<S> = S extends { readonly options: readonly (infer O)[] }
  ? O extends { readonly value: infer V extends string }
    ? V
    : never
  : never

/** The zod type each kind of setting is parsed with (so RunConfig is inferred field by field). */
type SchemaOf<S> = S extends { readonly type: 'integer' }
  ? z.ZodNumber
  : S extends { readonly type: 'optional-number' }
    ? z.ZodNullable<z.ZodNumber>
    : S extends { readonly type: 'toggle' }
      ? z.ZodBoolean
      : S extends { readonly type: 'choice' }
        ? z.ZodEnum<{ [V in ChoiceValue<S>]: V }>
        : S extends { readonly type: 'text' }
          ? z.ZodString
          : S extends { readonly type: 'list' }
            ? z.ZodArray<z.ZodString>
            : S extends { readonly type: 'status-list' }
              ? z.ZodArray<z.ZodNumber>
              : S extends { readonly type: 'headers' }
                ? z.ZodRecord<z.ZodString, z.ZodString>
                : never

type ConfigShape = { [K in SettingKey]: z.ZodDefault<SchemaOf<Table[K]>> }
type PatchShape = { [K in SettingKey]: z.ZodOptional<SchemaOf<Table[K]>> }

const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

export const retryStatusSchema = z
  .number()
  .int()
  .min(SETTINGS.retryStatuses.min)
  .max(SETTINGS.retryStatuses.max)

/** One setting's value schema, without its default. */
function valueSchema(spec: SettingSpec): z.ZodType {
  switch (spec.type) {
    case 'integer':
      return z.number().int().min(spec.min).max(spec.max)
    case 'optional-number': {
      const n = spec.integer ? z.number().int() : z.number()
      return (spec.minExclusive === true ? n.gt(spec.min) : n.min(spec.min)).max(spec.max).nullable()
    }
    case 'toggle':
      return z.boolean()
    case 'choice':
      return z.enum(spec.options.map((o) => o.value) as [string, ...string[]])
    case 'text':
      return z.string().min(spec.minLength).max(spec.maxLength)
    case 'list': {
      const item = spec.itemMinLength > 0 ? z.string().min(spec.itemMinLength) : z.string()
      const list = z.array(item.max(spec.itemMaxLength)).max(spec.maxItems)
      const label = spec.patterns
      if (label === undefined) return list
      // Regex sources, each compiled as the spider's scope will: every invalid one is named.
      return list.superRefine((sources, ctx) => {
        for (const error of compilePatterns(sources, label).errors) {
          ctx.addIssue({ code: 'custom', message: error.message })
        }
      })
    }
    case 'status-list':
      return z.array(retryStatusSchema).max(spec.maxItems)
    case 'headers':
      return z.record(
        z.string().regex(headerName, 'not a valid header name'),
        z.string().max(spec.valueMaxLength)
      )
  }
}

function shapeOf(wrap: (schema: z.ZodType, spec: SettingSpec) => z.ZodType): Record<string, z.ZodType> {
  const shape: Record<string, z.ZodType> = {}
  for (const key of SETTING_KEYS) {
    const spec: SettingSpec = SETTINGS[key]
    shape[key] = wrap(valueSchema(spec), spec)
  }
  return shape
}

// The casts restate, per key, the zod type valueSchema builds for that key's kind (SchemaOf).
export const runConfigSchema = z.object(
  shapeOf((schema, spec) => schema.default(spec.default as never))
) as unknown as z.ZodObject<ConfigShape>

export type RunConfig = z.infer<typeof runConfigSchema>
export type RunConfigInput = z.input<typeof runConfigSchema>

export const DEFAULT_CONFIG: RunConfig = runConfigSchema.parse({})

type LiveKeyOf<T> = { [K in keyof T]: T[K] extends { readonly live: true } ? K : never }[keyof T]

export type LiveSettingKey = LiveKeyOf<Table>
export type LiveSettings = Pick<RunConfig, LiveSettingKey>

/** Settings that can change while a run goes; they apply to attempts that start afterwards. */
export const LIVE_SETTING_KEYS: readonly LiveSettingKey[] = SETTING_KEYS.filter(
  (key): key is LiveSettingKey => SETTINGS[key].live
)

/** The live settings a run starts with: its config's. */
export function pickLive(config: RunConfig): LiveSettings {
  const live: Record<string, unknown> = {}
  for (const key of LIVE_SETTING_KEYS) live[key] = config[key]
  return live as LiveSettings
}

/**
 * Every field optional and WITHOUT its default: zod fills defaults even inside .partial(), which
 * would turn "concurrency: 8" into a patch that resets every other setting. A patch or a saved
 * partial config must hold only what the user set.
 */
export const runConfigPatchSchema = z
  .object(shapeOf((schema) => schema.optional()))
  .strict() as unknown as z.ZodObject<PatchShape, z.core.$strict>

const liveMask = Object.fromEntries(LIVE_SETTING_KEYS.map((key) => [key, true])) as {
  readonly [K in LiveSettingKey]: true
}

export const liveSettingsPatchSchema = runConfigPatchSchema.pick(liveMask).strict()

export type LiveSettingsPatch = z.infer<typeof liveSettingsPatchSchema>

export type ParseOutcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly string[] }

/** Formats schema issues as "field: reason" lines a person can act on. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.')
    return path ? `${path}: ${issue.message}` : issue.message
  })
}

export function parseRunConfig(input: unknown): ParseOutcome<RunConfig> {
  const parsed = runConfigSchema.strict().safeParse(input ?? {})
  if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error.issues) }
  if (parsed.data.backoffMaxMs < parsed.data.backoffBaseMs) {
    return { ok: false, errors: ['backoffMaxMs: must be at least backoffBaseMs'] }
  }
  if (parsed.data.mode === 'spider' && parsed.data.method === 'HEAD') {
    return { ok: false, errors: ['method: spider mode reads pages for their links; use GET'] }
  }
  return { ok: true, value: parsed.data }
}

export function parseLiveSettingsPatch(input: unknown): ParseOutcome<LiveSettingsPatch> {
  const parsed = liveSettingsPatchSchema.safeParse(input)
  if (!parsed.success) return { ok: false, errors: describeIssues(parsed.error.issues) }
  return { ok: true, value: parsed.data }
}

import { ESLint } from 'eslint'

/**
 * The project's real lint config, parsed without type information, checking only the fence rules:
 * does this code, at this path, break a "who may import whom" or raw-IPC rule?
 */
const FENCE_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax'])

const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => FENCE_RULES.has(ruleId)
})

export async function refusedByFence(filePath: string, code: string): Promise<boolean> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).some((m) => m.ruleId !== null && FENCE_RULES.has(m.ruleId))
}

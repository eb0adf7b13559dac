// The checks an index read from disk makes of its values, shared by the columns format and the
// older one-object-per-document format: neither trusts a field it did not check.
import type { QuireErrorInfo } from '../../shared/api'

export function isProblem(value: unknown): value is QuireErrorInfo {
  return isObject(value) && typeof value.code === 'string' && typeof value.message === 'string'
}

export function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// The QuireError a promise rejects with; fails the test when it resolves or throws anything else.
import { expect } from 'vitest'
import { QuireError } from '../../src/shared/api'

export async function caught(promise: Promise<unknown>): Promise<QuireError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(QuireError)
    return error as QuireError
  }
  throw new Error('expected the promise to reject with a QuireError')
}

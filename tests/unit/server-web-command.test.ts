import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_PROJECT_FOLDER, parseWebCommandArguments } from '../../src/server/web-command'

const environment = { QUIRE_USER_DATA: '/home/ayla/.config/quire' }

describe('parseWebCommandArguments', () => {
  it('defaults to the "My Quire project" folder in user data, a free port and opening the browser', () => {
    expect(parseWebCommandArguments([], environment)).toEqual({
      projectDir: join('/home/ayla/.config/quire', DEFAULT_PROJECT_FOLDER),
      port: 0,
      userDataDir: '/home/ayla/.config/quire',
      openBrowser: true
    })
  })

  it('reads every option', () => {
    expect(
      parseWebCommandArguments(['--project', '/data/interviews', '--port', '8123', '--user-data', '/tmp/ud', '--no-open'], environment)
    ).toEqual({ projectDir: '/data/interviews', port: 8123, userDataDir: '/tmp/ud', openBrowser: false })
  })

  it('puts the default project under --user-data when given', () => {
    expect(parseWebCommandArguments(['--user-data', '/tmp/ud'], environment).projectDir).toBe(join('/tmp/ud', DEFAULT_PROJECT_FOLDER))
  })

  it.each([
    [['--port', 'eighty'], /--port must be a number/],
    [['--port', '70000'], /--port must be a number/],
    [['--port', '-1'], /--port/],
    [['--projet', '/x'], /Unknown option '--projet'[\s\S]*Usage: npm run web/],
    [['stray'], /Unexpected argument 'stray'|positional/i],
    [['--project'], /--project/],
    [['--project', ' '], /--project needs a folder/]
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseWebCommandArguments(argv, environment)).toThrow(message)
  })
})

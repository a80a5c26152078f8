import { describe, expect, it } from 'vitest'
import { en } from '../../common/i18n/en'
import { id } from '../../common/i18n/id'
import { ErrorCode } from '../../common/result'
import { RecordState } from '../../common/records'
import { PeerRefusal, PeerView } from '../../common/network'

function leaves(obj: object, prefix = ''): Record<string, string> {
  return Object.entries(obj).reduce<Record<string, string>>((acc, [k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k
    return typeof v === 'string' ? { ...acc, [key]: v } : { ...acc, ...leaves(v as object, key) }
  }, {})
}

describe('translations', () => {
  const idLeaves = leaves(id)
  const enLeaves = leaves(en)

  it('English has exactly the Indonesian keys, none empty', () => {
    expect(Object.keys(enLeaves).sort()).toEqual(Object.keys(idLeaves).sort())
    for (const [key, text] of Object.entries({ ...idLeaves, ...enLeaves })) expect(text.trim(), key).not.toBe('')
  })

  it('keeps the same placeholders in both languages', () => {
    const vars = (s: string) => [...s.matchAll(/{{(\w+)}}/g)].map((m) => m[1]).sort()
    for (const key of Object.keys(idLeaves)) expect(vars(enLeaves[key]!), key).toEqual(vars(idLeaves[key]!))
  })

  it('Indonesian screens carry no English words staff would have to translate (issue 19.9: "Path")', () => {
    // UI words with an everyday Indonesian one; technical names IT reads (TPM, keyring, CSV, USB, PIN) stay.
    const english = /\b(path|error|errors|loading|settings|download|upload|uploaded|queue|queued|failed|pending|unknown|submit|cancel|save|delete|retry|please|click|enter|select|choose|export|import|file not found|not found|done|status code|the|and|of|with|drive|folder not)\b/i
    // The key printed on every keyboard, Indonesian ones included.
    const keyNames = new Set(['selfService.keyboard.enter'])
    const found = Object.entries(idLeaves).filter(([key, text]) => !keyNames.has(key) && english.test(text.replace(/{{\w+}}/g, '')))
    expect(found).toEqual([])
  })

  it('has a message for every error code and every record state', () => {
    for (const code of ErrorCode.options) expect(idLeaves[`errors.${code}`], code).toBeTruthy()
    for (const state of RecordState.options) expect(idLeaves[`state.${state}`], state).toBeTruthy()
    // IT's peer list names every refusal of the post network in words (issue 21), and every state and source.
    for (const reason of PeerRefusal.options) expect(idLeaves[`postNetwork.reason.${reason}`], reason).toBeTruthy()
    for (const state of PeerView.shape.state.options) expect(idLeaves[`postNetwork.peers.states.${state}`], state).toBeTruthy()
    for (const source of PeerView.shape.source.options) expect(idLeaves[`postNetwork.peers.sources.${source}`], source).toBeTruthy()
  })
})

import type { Language } from '../settings'
import { en } from './en'
import { id } from './id'
import type { Messages } from './id'

export const resources: Readonly<Record<Language, Messages>> = { id, en }
export const defaultLanguage: Language = 'id'
export type { Messages }

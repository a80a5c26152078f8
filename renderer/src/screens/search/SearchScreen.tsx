import type { FormEvent } from 'react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ChannelOutput } from '../../../../common/contract'
import { normaliseNik } from '../../../../common/nik'
import type { PoskoErrorShape } from '../../../../common/result'
import { getPosko } from '../../api'
import { ErrorPanel } from '../../components/ErrorPanel'
import { TextField } from '../../components/Field'
import { RecordDetails } from './RecordDetails'
import { SearchResults } from './SearchResults'
import './search.css'

type Search =
  | { status: 'idle' }
  | { status: 'searching' }
  | { status: 'done'; found: ChannelOutput<'registration.find'> }
  | { status: 'failed'; error: PoskoErrorShape }

/**
 * A NIK typed with spaces or dots as printed on some cards is still a NIK; anything else goes as typed (main reads
 * it as a receipt number, a mobile number or name words: common/search.ts).
 */
export function toQuery(raw: string): string {
  const nik = normaliseNik(raw)
  return /^\d{16}$/.test(nik) ? nik : raw.trim().replace(/\s+/g, ' ')
}

export function SearchScreen() {
  const { t } = useTranslation()
  const [query, setQuery] = useState('')
  const [queryError, setQueryError] = useState<string | undefined>()
  const [search, setSearch] = useState<Search>({ status: 'idle' })
  const [openId, setOpenId] = useState<string | null>(null)
  const headingRef = useRef<HTMLHeadingElement>(null)
  // On opening, and on coming back from a record, the heading takes focus so the screen is announced.
  useEffect(() => {
    if (!openId) headingRef.current?.focus()
  }, [openId])

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const normalised = toQuery(query)
    // The same bound as the channel's input, so a too-short query is explained at the field instead of refused.
    if (normalised.length < 2) {
      setQueryError('validation.search_short')
      document.getElementById('search-query')?.focus()
      return
    }
    setQueryError(undefined)
    const posko = getPosko()
    if (!posko) return setSearch({ status: 'failed', error: { code: 'unavailable', message: 'window.posko is missing' } })
    setSearch({ status: 'searching' })
    const result = await posko.registration.find({ query: normalised })
    setSearch(result.ok ? { status: 'done', found: result.value } : { status: 'failed', error: result.error })
  }

  if (openId) {
    return <RecordDetails key={openId} id={openId} onBack={() => setOpenId(null)} />
  }

  return (
    <div className="search">
      <h1 ref={headingRef} tabIndex={-1}>
        {t('search.title')}
      </h1>
      <form className="card search-form" noValidate onSubmit={(event) => void onSubmit(event)} role="search">
        <TextField
          id="search-query"
          type="search"
          label={t('search.query')}
          hint={t('search.queryHint')}
          maxLength={60}
          value={query}
          error={queryError}
          onChange={(value) => {
            setQuery(value)
            setQueryError(undefined)
          }}
        />
        <div className="actions">
          <button type="submit" className="primary" disabled={search.status === 'searching'}>
            {search.status === 'searching' ? t('search.searching') : t('search.submit')}
          </button>
        </div>
      </form>
      {search.status === 'failed' && <ErrorPanel error={search.error} />}
      {search.status === 'done' && <SearchResults found={search.found} onOpen={setOpenId} />}
    </div>
  )
}

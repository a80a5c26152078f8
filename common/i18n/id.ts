/** Bahasa Indonesia: the first language of every screen. English (en.ts) must have the same keys. */
export const id = {
  app: {
    name: 'Posko',
    tagline: 'Pendaftaran Program Pelatihan Kerja',
    post: 'Posko {{name}}',
    loading: 'Memuat…',
    skipToContent: 'Lompat ke konten utama',
  },
  language: {
    label: 'Bahasa',
    id: 'Bahasa Indonesia',
    en: 'English',
  },
  mode: {
    assisted: 'Layanan dibantu petugas',
    'self-service': 'Layanan mandiri',
  },
  home: {
    title: 'Beranda',
    welcome: 'Selamat datang di {{post}}',
    queueTitle: 'Antrean unggah',
    queueTotal: 'Total pendaftaran di perangkat ini: {{count}}',
    lastSync: 'Sinkronisasi terakhir: {{when}}',
    neverSynced: 'Belum pernah tersinkron',
    kioskInfo: 'Informasi perangkat',
    version: 'Versi',
    postId: 'Kode posko',
    mode: 'Mode',
  },
  state: {
    queued: 'Menunggu unggah',
    uploading: 'Sedang diunggah',
    accepted: 'Diterima pusat',
    duplicate: 'Sudah terdaftar di pusat',
    rejected: 'Ditolak, perlu diperbaiki',
    exported: 'Diekspor ke USB',
    purged: 'Data pribadi dihapus',
  },
  errors: {
    invalid_input: 'Data yang dikirim tidak valid. Periksa kembali isian Anda.',
    unknown_channel: 'Perintah tidak dikenal. Perbarui aplikasi atau hubungi petugas TI.',
    forbidden: 'Anda tidak memiliki izin untuk tindakan ini.',
    not_found: 'Data tidak ditemukan.',
    conflict: 'Data telah berubah. Muat ulang lalu coba lagi.',
    duplicate_nik: 'NIK ini sudah terdaftar di perangkat ini.',
    unavailable: 'Layanan sedang tidak tersedia. Coba lagi sebentar lagi.',
    internal: 'Terjadi kesalahan pada aplikasi. Coba lagi; bila berulang, hubungi petugas TI.',
    bridge: 'Aplikasi tidak tersambung ke layanan perangkat. Tutup lalu buka kembali Posko.',
    retry: 'Coba lagi',
  },
} as const

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> }
export type Messages = Widen<typeof id>

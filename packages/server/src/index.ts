// Public surface of the server package (the composition root). Filled in by the server work:
//   startServer({ config, logger? }): Promise<{ url: string; close(): Promise<void> }>
//   migrateDatabase(config): Promise<{ applied: string[] }>
//   checkDatabase(config): Promise<void>
export {}

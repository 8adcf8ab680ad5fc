// Access levels as the panel passes them in AUTH_LEVEL.
export const Level = { user: 16, reseller: 24, admin: 29, root: 30 } as const;

// Types for packaging/app-identity.mjs, imported by src/main/index.ts and the packaging test.
export const APP_ID: string
export const PRODUCT_NAME: string
export const MAINTAINER: string

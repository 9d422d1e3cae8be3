/** Types of @adobe/structured-data-validator (plain JavaScript), for what the tests use of it. */
declare module '@adobe/structured-data-validator' {
  export interface ValidationIssue {
    readonly issueMessage: string
    readonly severity: 'ERROR' | 'WARNING'
    readonly fieldNames?: readonly string[]
    readonly path?: readonly unknown[]
    /** `schemaOrg` for the checks against the schema.org vocabulary. */
    readonly errorType?: string
    readonly rootType?: string
  }

  /** Items by format and root type, as @marbec/web-auto-extractor hands them over. */
  export interface ExtractedData {
    readonly jsonld?: Record<string, object[]>
    readonly microdata?: Record<string, object[]>
    readonly rdfa?: Record<string, object[]>
  }

  /** Google's rich-result rules per type, and, given the vocabulary, schema.org's types and properties. */
  // eslint-disable-next-line no-restricted-syntax -- the package's own export is a default one
  export default class Validator {
    constructor(schemaOrgJson?: unknown)
    debug: boolean
    validate(data: ExtractedData): Promise<ValidationIssue[]>
  }
}

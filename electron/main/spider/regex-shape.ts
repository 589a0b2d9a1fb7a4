// Moved to shared/ so the run config can validate patterns; kept here for the spider's imports.
export { regexShape, type RegexShape } from '../../../shared/regex-shape.ts'

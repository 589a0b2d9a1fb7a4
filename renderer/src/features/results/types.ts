import type { CrawlerApi } from '../../../../shared/api.ts'

/** The slice of the contract the results feature calls. */
export interface ResultsApi {
  queryResults: CrawlerApi['queryResults']
  getResultFacets: CrawlerApi['getResultFacets']
  getResult: CrawlerApi['getResult']
  getFailureGroups: CrawlerApi['getFailureGroups']
  getPath: CrawlerApi['getPath']
}

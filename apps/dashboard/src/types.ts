import type { components } from '@social-pulse/api-client';

/**
 * The API answers the page reads, as the typed client generates them from the OpenAPI document
 * (packages/api-client): a field the API renames fails the page's type check, not its users.
 */
type Schemas = components['schemas'];

export type { AnswerEnvelope } from '@social-pulse/shared';

export type TrendingTopic = Schemas['TrendingTopicDto'];
export type TrendingData = Schemas['TrendingDataDto'];
/** A trending horizon as the API's parameters name it: 1m, 5m, 15m. */
export type TrendingWindow = TrendingData['window'];
export type TopicHistoryData = Schemas['TopicHistoryDataDto'];
export type LiveEngagementData = Schemas['LiveEngagementDataDto'];
export type EngagementPoint = Schemas['EngagementPointDto'];
export type EngagementSummaryData = Schemas['EngagementSummaryDataDto'];
export type AdsGroup = Schemas['AdsGroupDto'];
export type AdsMoney = Schemas['AdsMoneyDto'];
export type AdsPoint = Schemas['AdsPointDto'];
export type AdsPerformanceData = Schemas['AdsPerformanceDataDto'];
export type AdsCampaign = Schemas['AdsCampaignDto'];
export type AdsCampaignsData = Schemas['AdsCampaignsDataDto'];

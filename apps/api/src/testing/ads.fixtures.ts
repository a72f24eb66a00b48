import type { AdsCampaignRow } from '../dtos/ads-campaigns.dto';
import type { AdsPerformanceRow } from '../dtos/ads-performance.dto';

/**
 * One performance row in JSONEachRow, Int64 counts as strings (as ClickHouse may send them) and money as
 * the query's text: 1,000 impressions reaching 800, 40 clicks (30 attributed), 6 conversions (and 2
 * without a click); in USD 12.5 spent and 48 earned over 5 conversions, in EUR 3 spent for 1.
 */
export function adsPerformanceRow(overrides: Partial<AdsPerformanceRow> = {}): AdsPerformanceRow {
  return {
    period: '2025-06-01 12:00:00',
    impressions: '1000',
    users_reached: '800',
    clicks: '40',
    attributed_clicks: '30',
    conversions: '6',
    unattributed_conversions: '2',
    money: [
      ['USD', '12500000', '48000000', '0', '5'],
      ['EUR', '3000000', '0', '1500000', '1'],
    ],
    ...overrides,
  };
}

/** One campaign row: 20,000 impressions, 300 clicks, 12 conversions, 60 spent, 150 earned. */
export function adsCampaignRow(overrides: Partial<AdsCampaignRow> = {}): AdsCampaignRow {
  return {
    campaign_id: 'summer-sale',
    currency: 'USD',
    total_impressions: '20000',
    total_clicks: '300',
    total_conversions: '12',
    total_spend_micros: '60000000',
    total_revenue_micros: '150000000',
    ...overrides,
  };
}

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

/** adsPerformanceRow() as the API answers it: counts as numbers, ratios of the sums, money per currency. */
export const ADS_POINT = {
  period: '2025-06-01T12:00:00.000Z',
  group: {},
  impressions: 1000,
  users_reached: 800,
  clicks: 40,
  attributed_clicks: 30,
  unattributed_clicks: 10,
  conversions: 6,
  unattributed_conversions: 2,
  ctr: 0.04,
  conversion_rate: 0.15,
  money: [
    {
      currency: 'EUR',
      conversions: 1,
      spend_micros: '3000000',
      revenue_micros: '0',
      unattributed_revenue_micros: '1500000',
      cpa_micros: '3000000',
      roas: 0,
    },
    {
      currency: 'USD',
      conversions: 5,
      spend_micros: '12500000',
      revenue_micros: '48000000',
      unattributed_revenue_micros: '0',
      cpa_micros: '2500000',
      roas: 3.84,
    },
  ],
};

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

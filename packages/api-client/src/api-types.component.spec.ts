import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, apiOpenApiDocument, generateApiTypes } from './generate-types';

describe(generateApiTypes.name, () => {
  it('should match the checked-in types: run `npm run generate -w @social-pulse/api-client` after changing the API', async () => {
    const generated = await generateApiTypes();

    expect(generated === readFileSync(API_TYPES_FILE, 'utf8'), 'src/api-types.ts is out of date').toBe(true);
  });

  it('should tell a changed document apart', async () => {
    const document = await apiOpenApiDocument();
    const trending = document.components!.schemas!.TrendingTopicDto as { properties: Record<string, unknown> };
    trending.properties.renamed_score = trending.properties.score;
    delete trending.properties.score;

    const generated = await generateApiTypes(document);

    expect(generated).not.toBe(readFileSync(API_TYPES_FILE, 'utf8'));
    expect(generated).toContain('renamed_score');
  });
});

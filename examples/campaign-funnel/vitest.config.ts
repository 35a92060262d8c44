import { exampleConfig } from '../../scripts/test-support/example-config.js';

export default exampleConfig(import.meta.url);

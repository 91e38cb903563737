// Preamble `env` (docs/README.md, "About the code samples"): an environment named `env`.
import { StreamEnvironment } from '@weir/core';
const env = StreamEnvironment.create();

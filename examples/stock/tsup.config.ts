import { defineConfig } from 'tsup';
import { exampleBuild } from '../../tsup.example.js';

export default defineConfig(exampleBuild);

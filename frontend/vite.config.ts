import { defineConfig } from 'vite';
import tailwindcss from '@tailwindcss/vite';

// JSX goes through Vite's own esbuild transform, so no React plugin is needed.
export default defineConfig({
  plugins: [tailwindcss()],
  esbuild: { jsx: 'automatic' },
  server: {
    proxy: {
      '/api': { target: 'http://localhost:8003', changeOrigin: true },
      '/ws': { target: 'ws://localhost:8002', ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      // Libraries' "use client" directives and zod's comment placement are harmless in a client bundle.
      onwarn(warning, warn) {
        const fromDependency = warning.id?.includes('node_modules') ?? false;
        if (
          fromDependency &&
          (warning.code === 'MODULE_LEVEL_DIRECTIVE' || warning.code === 'INVALID_ANNOTATION')
        )
          return;
        warn(warning);
      },
    },
  },
});

// Build config for the ecogov web UI. Output goes to web/dist, which `ecogov serve` serves
// (index.html for any non-/api path without an extension). Element Plus components and the
// ElMessage/ElMessageBox services are imported on demand, so each page pulls in only what it uses.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import AutoImport from 'unplugin-auto-import/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// The built index.html's stylesheets go from <head> to the end of <body>: in <head> they block
// all rendering, so the boot shell (inline CSS in index.html) would wait for them; after the shell
// they block only what follows them, and the entry module still waits for them before it runs.
const stylesheetsAfterShell = {
  name: 'ecogov-stylesheets-after-shell',
  transformIndexHtml: {
    order: 'post',
    handler(html) {
      const links = []
      const head = html.replace(/^\s*<link rel="stylesheet"[^>]*>\n?/gm, (tag) => {
        links.push(tag.trim())
        return ''
      })
      return head.replace('</body>', links.map((l) => '    ' + l + '\n').join('') + '  </body>')
    },
  },
}

export default defineConfig({
  base: '/',
  plugins: [
    vue(),
    stylesheetsAfterShell,
    AutoImport({ resolvers: [ElementPlusResolver()], dts: false }),
    Components({ resolvers: [ElementPlusResolver()], dts: false }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        // Stable vendor chunks: library code changes rarely, so browsers keep it cached.
        codeSplitting: {
          groups: [
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
            { name: 'leaflet', test: /node_modules[\\/]leaflet[\\/]/ },
            { name: 'vue', test: /node_modules[\\/](@vue|vue|vue-router|vue-i18n|@intlify)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
})

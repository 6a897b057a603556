// `ng serve` (and `npm run dev`) forwards the API's paths to the API on this machine: its PORT, which `npm run dev`
// passes as COURSELOOM_API_PORT (default 3000). The admin UI itself is served by the dev server under /admin/.
const target = `http://127.0.0.1:${process.env.COURSELOOM_API_PORT || 3000}`;

export default {
  '/api': { target, secure: false },
  '/health': { target, secure: false },
  '/admin/queues': { target, secure: false },
};

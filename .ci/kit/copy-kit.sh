# Sourced by the .ci/kit/check-* scripts: moves into a throwaway copy of the checkout (removed on exit) with
# its dependencies installed offline from the store the real install just filled.
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
tar --exclude=node_modules --exclude=.turbo --exclude=dist --exclude=dist-e2e --exclude=.git \
  --exclude='.env.local' --exclude='.env.*.local' -cf - . | tar -xf - -C "$copy"
cd "$copy"
pnpm install --frozen-lockfile --offline --silent

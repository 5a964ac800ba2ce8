import { expect } from '@open-wc/testing';
import { loadRecords, loadShared, refreshShared } from '../../../components/internal/record-loader.js';
import { API, signIn } from '../../support/api.js';
import { requestsTo } from './helpers.js';

const TAGS = '/workflow-pickers/training-tags';

describe('record loader (shared requests)', () => {
  before(() => signIn());
  beforeEach(() => {
    refreshShared();
    performance.clearResourceTimings();
  });

  it('one caller aborting leaves the shared request to the others', async () => {
    const stale = new AbortController();
    const first = loadRecords<string>(API, TAGS, 'tags', stale.signal);
    const second = loadRecords<string>(API, TAGS, 'tags');
    stale.abort();
    const [a, b] = await Promise.allSettled([first, second]);
    expect(a.status).to.equal('rejected');
    expect((a as PromiseRejectedResult).reason.name).to.equal('AbortError');
    expect(b.status).to.equal('fulfilled');
    expect((b as PromiseFulfilledResult<string[]>).value).to.include('onboarding');
    expect(requestsTo(TAGS)).to.equal(1);
  });

  it('when every caller aborted, the request is dropped and the next caller starts afresh', async () => {
    const stale = new AbortController();
    const first = loadShared(`${API}${TAGS}`, stale.signal);
    stale.abort();
    await first.catch(() => undefined);
    const body = (await loadShared(`${API}${TAGS}`)) as { tags: string[] };
    expect(body.tags).to.include('onboarding');
    const afterFresh = requestsTo(TAGS);
    expect(afterFresh, 'the fresh request (and maybe the aborted one)').to.be.within(1, 2);
    // Then cached: the same body object, no request.
    expect(await loadShared(`${API}${TAGS}`)).to.equal(body);
    expect(requestsTo(TAGS)).to.equal(afterFresh);
  });

  it('does not cache failures, so Retry asks the server again', async () => {
    const missing = `${API}/workflow-pickers/nope`;
    await loadShared(missing).catch((e) => expect(e.status).to.equal(404));
    await loadShared(missing).catch(() => undefined);
    expect(performance.getEntriesByType('resource').filter((e) => e.name === missing)).to.have.length(2);
  });
});

package dev.tally.blockstore;

class MemoryBlockstoreTest extends BlockstoreContractTest {
  @Override
  protected Blockstore newStore() {
    return new MemoryBlockstore();
  }
}

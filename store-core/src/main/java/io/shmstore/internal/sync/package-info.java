/**
 * Cross-process synchronisation on raw shared memory (layer 6 of DESIGN.md, the bottom): the lock word
 * (a mutex that survives its owner's death), the event word and the semaphore word (whose dead holders'
 * permits come back), atomics guarded against a file cut under the mapping, the faults such a cut
 * raises, the lifecycle that makes closing safe while in use, and the interfaces the layers above rely
 * on and the backends provide (waiting on a word, process liveness, mutex, event and semaphore
 * handles). It depends on nothing else of ShmStore but the contract's vocabulary.
 */
package io.shmstore.internal.sync;

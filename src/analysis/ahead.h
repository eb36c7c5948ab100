/* ahead.h - functions that only ask for memory ahead of its use.
 *
 * A function that computes addresses and calls __builtin_prefetch on them
 * changes nothing GCC can see: when every call it makes is visible, GCC
 * finds it pure (-fipa-pure-const) and deletes each call whose result is
 * unused, prefetches and all, without a warning. The simulator's fetch ahead
 * vanished that way once the queue's peek was made inline, and a trial took
 * 1.4 times as long. AN_AHEAD_KEEP(), placed in such a function, is an empty
 * volatile asm: a side effect to the compiler, no instruction, and no
 * barrier to the loads around it (it clobbers no memory). */
#ifndef CEP_ANALYSIS_AHEAD_H
#define CEP_ANALYSIS_AHEAD_H

#define AN_AHEAD_KEEP() __asm__ volatile("")

#endif

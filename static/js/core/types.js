// @ts-check
// The shapes of what the server sends, as the browser modules use them (JSDoc only: this
// module exports nothing at run time). The server's own word on each is workshop/core/protocol.py
// and the routes' docstrings; only the fields the scripts read are named here.

/**
 * @typedef {object} Note
 * @property {number} id
 * @property {string} [text]           missing on a public view of a hidden note
 * @property {boolean} [hidden]
 * @property {boolean} [blind]         a public placeholder during blind writing ({id, blind: true, prompt_id})
 * @property {number | null} [section_id]
 * @property {number | null} [group_id]
 * @property {number | null} [prompt_id]
 * @property {number} [position]
 * @property {string} [color]
 * @property {number | null} [votes]
 * @property {number | null} [plus_ones]  phones that said "+1" (me too) instead of writing it again; null while tallies are hidden
 * @property {number | null} [merged_into]
 * @property {Array<{id: number, text: string, author_label?: string, source?: string}>} [merged]
 * @property {string} [source]
 * @property {boolean} [online]
 * @property {string} [photo]
 * @property {string} [author_label]
 * @property {boolean} [withdrawn]     withdrawn by its author: kept for the record, off the board
 * @property {boolean} [edited]        its words changed after posting (GET /api/notes/<id>/history)
 */

/**
 * @typedef {object} Group
 * @property {number} id
 * @property {number | null} section_id
 * @property {string} label
 * @property {number} position
 * @property {number[]} note_ids
 * @property {number | null} [votes]   its tally: its notes' dots and its own (null while hidden)
 * @property {boolean} [deleted]
 */

/**
 * What the server says this screen's people may do now (workshop/workshops/allowed.py).
 * @typedef {object} Allowed
 * @property {boolean} write   phones may post notes
 * @property {boolean} plus_one  phones may give a note on the board a "+1" (writing, not blind, not the vote)
 * @property {boolean} vote    dots may be placed
 * @property {boolean} several_dots  a voter may put more than one dot on the same note
 * @property {boolean} blind   blind writing is on: the room sees only how many notes there are
 * @property {boolean} tallies the room sees the dot tallies
 * @property {boolean} counting the dots count (from the vote on): tallies, ranked view, physical dots
 */

/**
 * @typedef {object} Workshop
 * @property {string} code
 * @property {string} phase
 * @property {Record<string, any>} settings
 * @property {Array<{id: number, title: string, body?: string}>} sections
 * @property {Array<{id: number, text: string}>} prompts
 * @property {Record<string, boolean>} [revealed]
 * @property {string | null} [feedback_until]
 * @property {string} [join_url]
 * @property {any} [timer]
 * @property {number} [participants]
 * @property {Record<string, Allowed>} allowed  for each phase (workshop/workshops/allowed.py)
 * @property {Projection} [projection]  what the projector shows (workshop/workshops/projection.py)
 */

/**
 * What every public board shows, as the facilitator chose it.
 * @typedef {object} Projection
 * @property {"board" | "question" | "ranked" | "sort" | "next-steps" | "closing"} view
 * @property {number | null} prompt_id  the question shown big (the question view only)
 * @property {boolean} frozen  public boards keep what they show until it is shown again
 */

/**
 * @typedef {object} BoardState
 * @property {Workshop} workshop
 * @property {Note[]} notes
 * @property {Group[]} groups
 * @property {number} seq
 */

export {};

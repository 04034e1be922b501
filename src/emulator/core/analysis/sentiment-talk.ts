// The business-talk rewrites applied to each sentence before VADER scores it (sentiment.ts). They change
// only what is scored, never the message. Order matters: a rule sees the text the earlier ones left.

// Business-talk readings VADER's lexicon (built on social-media text) gets wrong, rewritten before
// scoring only. Each rule is a reading of conversational business talk, not of a test sentence:
// - politeness markers and "share" carry no feeling in a request ("please forward the invoice");
//   "I was hoping you could…" and "I'd like to…" are polite requests, not hope or liking;
// - "like" after a verb of seeming ("looks like", "sounds like") is a preposition, not liking;
// - certainty adverbs before a word intensify it ("definitely annoying"): VADER scores "definitely"
//   itself +1.7, which cancels the word it stresses; "pretty" before a word is "quite", not praise;
// - hedges are doubt: "I don't think…", "not sure" (negation raising: the doubt is about the clause);
// - product words that name a topic, not a feeling: "support" before a team/ticket word or as "offer"
//   ("do you support SSO"), "free trial/tier/plan", "help me understand" (a request for information);
// - support-call vocabulary VADER lacks, mapped to a lexicon word of the same reading: outages and
//   downtime are failures, glitches problems, "not working"/"stopped working" broken,
//   "is down" failed; fixed/resolved is solved, shipped/delivered accomplished, smooth/seamless/
//   reliable/intuitive good;
// - conversational formulas: "no worries"/"no problem" reassure, "to be honest" and greetings ("good
//   morning", "kind regards") carry no feeling, "I'm afraid" is regret; "although"/"though"/"however"
//   mark a contrast like "but" (the main clause weighs more), and "not only… but also" is no contrast.
export const TALK: Array<[RegExp, string]> = [
  [/\bplease\b/gi, ''],
  [/\bwould you mind\b/gi, 'can you'],
  [/\b(?:would|'d|’d) like to\b/gi, 'want to'],
  [/\b(?:was|am|were|are) hoping (?=you|to|that)/gi, 'want '],
  [/\b(look|looks|looked|seem|seems|seemed|sound|sounds|sounded|feel|feels|felt|something|more) like\b/gi, '$1 as'],
  [/\b(?:had|have|get|got) a chance to\b/gi, 'got to'],
  [/\bshar(?:e|es|ed|ing)\b/gi, 'send'],
  [/\bworks? best\b/gi, 'works'],
  [/\bmake sure\b/gi, 'remember'],
  [/\b(?:pretty|definitely|certainly|absolutely|truly)\s+(?=[a-z])/gi, 'quite '],
  [/\b(?:do|does|did)(?: not|n't|n’t) think\b/gi, 'doubt'],
  [/\b(?:not|n't|n’t) (?:really |quite |so )?sure\b/gi, 'doubt'],
  [
    /\bsupport(?= (?:team|ticket|tickets|response|responses|agent|agents|engineer|engineers|desk|case|cases|staff|portal|plan|contract|hours)\b)/gi,
    'service',
  ],
  [/\b(you|we|they|it|does|do|to) support\b/gi, '$1 offer'],
  [/\bfree (?=trial|tier|plan|version|account)/gi, ''],
  [/\bhelp (me|us) understand\b/gi, 'explain to $1'],
  [/\b(?:outages?|downtime)\b/gi, 'failure'],
  [/\bglitch(?:es|y)?\b/gi, 'problem'],
  [/\bclear (?=(?:your|the|my|our|out|up|it|them)\b)/gi, 'empty '],
  [/\b(?:(?:is|are|was|were|be|been)(?: not|n't|n’t)|(?:stopped|stops|not)) working\b/gi, 'is broken'],
  // Support-call complaint constructions: a function verb negated ("does not load", "won't connect")
  // reports a fault; failure verbs VADER lacks (crashes, times out, cuts out, a call that drops);
  // waiting "forever"; "too" before a word of excess ("too expensive", "too many steps"); persistence
  // ("still waiting", "still no answer"); nobody answering. And their opposites: the absence of
  // problems ("nothing broke", "without any issues") and comparative improvements ("faster", "simpler").
  [
    /\b(?:(?:does|do|did|will|would|can|could) not|(?:does|do|did|wo|would|ca|could)n['’]t|cannot) (?:work|load|match|respond|reply|answer|arrive|connect|sync|start|open|save|print|show up|go through|add up)\b/gi,
    'fails',
  ],
  [
    /\b(?:nothing|no|never|without(?: any)?)\s+(?:\w+\s+)?(?:broke|issues?|problems?|errors?|complaints?|downtime|failures?|outages?|incidents?|hiccups?)\b/gi,
    'good',
  ],
  [
    /\b(?:crash(?:es|ed|ing)?|freez(?:es|ing)|froze|hangs|time[sd]? out|timing out|timeouts?|cuts? out|cutting out|disconnect(?:s|ed|ing)?)\b/gi,
    'fails',
  ],
  [/\b(?:call|calls|line|connection|audio|video|signal)(?: keeps?| kept)? (?:drops|dropped|dropping|drop)\b/gi, 'call fails'],
  [/\b(?:tak(?:e|es|ing)|took|wait(?:ed|ing)?|last(?:s|ed)?) forever\b/gi, 'frustrating'],
  [
    /\b(?:(?:way|far|much|a bit|a little) )?too (?=(?:high|low|slow|long|expensive|costly|pricey|late|many|much|complicated|complex|hard|difficult|confusing|often|loud|noisy|risky|small|short)\b)/gi,
    'frustratingly ',
  ],
  [/\bstill (?=(?:waiting|no|not|nothing|haven't|hasn't|have not|has not|can't|cannot|broken|failing|down)\b)/gi, 'frustratingly '],
  [/\b(?:never|no one|nobody)\s+(?:\w+\s+)?(?:replied|answered|responded|called back|got back|followed up)\b/gi, 'ignored us'],
  [/\b(?:no|without (?:a|an|any)) (?:answer|reply|response|update|feedback)\b/gi, 'ignored'],
  [/\b(?:faster|quicker|simpler|smoother|cheaper|snappier)\b/gi, 'better'],
  [/\b(?:slower|clunkier)\b/gi, 'worse'],
  [/\b(is|are|was|were|be|been|went|goes|go) down\b/gi, '$1 failed'],
  [/\b(?:fixed|resolved)\b/gi, 'solved'],
  [/\b(?:shipped|delivered)\b/gi, 'accomplished'],
  [/\b(?:smooth(?:ly)?|seamless(?:ly)?|reliable|intuitive|painless(?:ly)?|effortless(?:ly)?|hassle-free)\b/gi, 'good'],
  [/\b(?:no|not a|not any) (?:problem|problems|worries|worry|trouble)\b/gi, 'fine'],
  [/\b(?:to be (?:honest|fair|frank)|honestly|frankly|to tell you the truth)\b,?/gi, ''],
  [/\b(?:i'm|i am|i’m) afraid\b/gi, 'unfortunately'],
  [/\bgood (?=(?:morning|afternoon|evening|day)\b)/gi, ''],
  [/\b(?:kind|best|warm) regards\b/gi, 'regards'],
  [/\bbut also\b/gi, 'and also'],
  [/^\W*(?:although|though|even though|while|whilst)\s+([^,]+),\s*(.+)$/i, '$1 but $2'],
  [/^(.+?),\s*(?:although|though|even though)\s+(.+)$/i, '$2 but $1'],
  [/[,;]\s*(?:however|yet|still)\b,?/gi, ' but'],
  [/\brough\b/gi, 'bad'],
  [/\bslow\b/gi, 'hard'],
]

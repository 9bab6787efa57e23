;; Resources crossing component boundaries inside one composition: $Def
;; defines R (its destructor logs representations), $Sink receives R handles
;; it did not define, and $User makes R's and passes them to both.
;;
;; * own handles move between tables (the sender's index is freed, the
;;   receiver gets one of its own); the destructor runs in $Def whoever
;;   drops the last handle;
;; * a borrow of R reaches $Def as the bare representation, but reaches
;;   $Sink as a handle in $Sink's table, which $Sink must drop before
;;   returning, cannot drop twice and cannot give away as an own;
;; * a handle cannot be given away while it is lent;
;; * two instances of $Def define two different resource types.
(component definition $Compose
  (component $Def
    (core module $Log
      (memory (export "mem") 1)
      (func (export "dtor") (param $rep i32)
        (i32.store
          (i32.add (i32.const 4) (i32.shl (i32.load (i32.const 0)) (i32.const 2)))
          (local.get $rep))
        (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1))))
      (func (export "dropped") (result i32) (i32.load (i32.const 0)))
      (func (export "dropped-at") (param $i i32) (result i32)
        (i32.load (i32.add (i32.const 4) (i32.shl (local.get $i) (i32.const 2))))))
    (core instance $log (instantiate $Log))
    (type $R' (resource (rep i32) (dtor (core func $log "dtor"))))
    (core func $new (canon resource.new $R'))
    (core func $rep (canon resource.rep $R'))
    (core func $drop (canon resource.drop $R'))
    (core module $M
      (import "r" "new" (func $new (param i32) (result i32)))
      (import "r" "rep" (func $rep (param i32) (result i32)))
      (import "r" "drop" (func $drop (param i32)))
      (func (export "make") (param i32) (result i32) (call $new (local.get 0)))
      ;; borrows of our own type arrive as representations
      (func (export "rep-of") (param $rep i32) (result i32) (local.get $rep))
      ;; owns arrive as handles in our table
      (func (export "consume") (param $h i32) (result i32)
        (local $rep i32)
        (local.set $rep (call $rep (local.get $h)))
        (call $drop (local.get $h))
        (local.get $rep))
      ;; `into` (borrowed) plus the representation of `from` (given)
      (func (export "merge") (param $into i32) (param $from i32) (result i32)
        (local $rep i32)
        (local.set $rep (call $rep (local.get $from)))
        (call $drop (local.get $from))
        (i32.add (local.get $into) (local.get $rep))))
    (core instance $m (instantiate $M
      (with "r" (instance (export "new" (func $new)) (export "rep" (func $rep)) (export "drop" (func $drop))))))
    (export $R "R" (type $R'))
    (func (export "make") (param "rep" u32) (result (own $R)) (canon lift (core func $m "make")))
    (func (export "rep-of") (param "r" (borrow $R)) (result u32) (canon lift (core func $m "rep-of")))
    (func (export "consume") (param "r" (own $R)) (result u32) (canon lift (core func $m "consume")))
    (func (export "merge") (param "into" (borrow $R)) (param "from" (own $R)) (result u32)
      (canon lift (core func $m "merge")))
    (func (export "dropped") (result u32) (canon lift (core func $log "dropped")))
    (func (export "dropped-at") (param "i" u32) (result u32) (canon lift (core func $log "dropped-at"))))

  (component $Sink
    (import "def" (instance $def
      (export "R" (type $R (sub resource)))
      (export "rep-of" (func (param "r" (borrow $R)) (result u32)))
      (export "consume" (func (param "r" (own $R)) (result u32)))))
    (alias export $def "R" (type $R))
    (core func $rep-of (canon lower (func $def "rep-of")))
    (core func $consume (canon lower (func $def "consume")))
    (core func $drop (canon resource.drop $R))
    (core module $M
      (import "def" "rep-of" (func $rep-of (param i32) (result i32)))
      (import "def" "consume" (func $consume (param i32) (result i32)))
      (import "def" "drop" (func $drop (param i32)))
      (func (export "adopt") (param $h i32) (result i32) (local.get $h))
      (func (export "peek") (param $h i32) (result i32)
        (local $rep i32)
        (local.set $rep (call $rep-of (local.get $h)))
        (call $drop (local.get $h))
        (local.get $rep))
      (func (export "borrow-index") (param $h i32) (result i32)
        (call $drop (local.get $h))
        (local.get $h))
      (func (export "leak") (param $h i32))
      (func (export "drop-twice") (param $h i32)
        (call $drop (local.get $h))
        (call $drop (local.get $h)))
      (func (export "pass-as-own") (param $h i32) (result i32) (call $consume (local.get $h)))
      (func (export "value-of") (param $h i32) (result i32) (call $rep-of (local.get $h)))
      (func (export "drop") (param $h i32) (call $drop (local.get $h))))
    (core instance $m (instantiate $M
      (with "def" (instance
        (export "rep-of" (func $rep-of))
        (export "consume" (func $consume))
        (export "drop" (func $drop))))))
    (func (export "adopt") (param "r" (own $R)) (result u32) (canon lift (core func $m "adopt")))
    (func (export "peek") (param "r" (borrow $R)) (result u32) (canon lift (core func $m "peek")))
    (func (export "borrow-index") (param "r" (borrow $R)) (result u32)
      (canon lift (core func $m "borrow-index")))
    (func (export "leak") (param "r" (borrow $R)) (canon lift (core func $m "leak")))
    (func (export "drop-twice") (param "r" (borrow $R)) (canon lift (core func $m "drop-twice")))
    (func (export "pass-as-own") (param "r" (borrow $R)) (result u32)
      (canon lift (core func $m "pass-as-own")))
    (func (export "value-of") (param "h" u32) (result u32) (canon lift (core func $m "value-of")))
    (func (export "drop") (param "h" u32) (canon lift (core func $m "drop"))))

  (component $User
    (import "def" (instance $def
      (export "R" (type $R (sub resource)))
      (export "make" (func (param "rep" u32) (result (own $R))))
      (export "rep-of" (func (param "r" (borrow $R)) (result u32)))
      (export "consume" (func (param "r" (own $R)) (result u32)))
      (export "merge" (func (param "into" (borrow $R)) (param "from" (own $R)) (result u32)))))
    (alias export $def "R" (type $R))
    (import "sink" (instance $sink
      (export "adopt" (func (param "r" (own $R)) (result u32)))
      (export "peek" (func (param "r" (borrow $R)) (result u32)))
      (export "borrow-index" (func (param "r" (borrow $R)) (result u32)))
      (export "leak" (func (param "r" (borrow $R))))
      (export "drop-twice" (func (param "r" (borrow $R))))
      (export "pass-as-own" (func (param "r" (borrow $R)) (result u32)))))
    (core func $make (canon lower (func $def "make")))
    (core func $rep-of (canon lower (func $def "rep-of")))
    (core func $consume (canon lower (func $def "consume")))
    (core func $merge (canon lower (func $def "merge")))
    (core func $adopt (canon lower (func $sink "adopt")))
    (core func $peek (canon lower (func $sink "peek")))
    (core func $borrow-index (canon lower (func $sink "borrow-index")))
    (core func $leak (canon lower (func $sink "leak")))
    (core func $drop-twice (canon lower (func $sink "drop-twice")))
    (core func $pass-as-own (canon lower (func $sink "pass-as-own")))
    (core func $drop (canon resource.drop $R))
    (core module $M
      (import "" "make" (func $make (param i32) (result i32)))
      (import "" "rep-of" (func $rep-of (param i32) (result i32)))
      (import "" "consume" (func $consume (param i32) (result i32)))
      (import "" "merge" (func $merge (param i32 i32) (result i32)))
      (import "" "adopt" (func $adopt (param i32) (result i32)))
      (import "" "peek" (func $peek (param i32) (result i32)))
      (import "" "borrow-index" (func $borrow-index (param i32) (result i32)))
      (import "" "leak" (func $leak (param i32)))
      (import "" "drop-twice" (func $drop-twice (param i32)))
      (import "" "pass-as-own" (func $pass-as-own (param i32) (result i32)))
      (import "" "drop" (func $drop (param i32)))
      (func (export "make") (param i32) (result i32) (call $make (local.get 0)))
      (func (export "rep-of") (param i32) (result i32) (call $rep-of (local.get 0)))
      (func (export "consume") (param i32) (result i32) (call $consume (local.get 0)))
      (func (export "merge") (param i32 i32) (result i32) (call $merge (local.get 0) (local.get 1)))
      (func (export "give") (param i32) (result i32) (call $adopt (local.get 0)))
      (func (export "lend") (param i32) (result i32) (call $peek (local.get 0)))
      (func (export "lend-index") (param i32) (result i32) (call $borrow-index (local.get 0)))
      (func (export "lend-leak") (param i32) (call $leak (local.get 0)))
      (func (export "lend-drop-twice") (param i32) (call $drop-twice (local.get 0)))
      (func (export "lend-as-own") (param i32) (result i32) (call $pass-as-own (local.get 0)))
      (func (export "drop") (param i32) (call $drop (local.get 0))))
    (core instance $m (instantiate $M (with "" (instance
      (export "make" (func $make))
      (export "rep-of" (func $rep-of))
      (export "consume" (func $consume))
      (export "merge" (func $merge))
      (export "adopt" (func $adopt))
      (export "peek" (func $peek))
      (export "borrow-index" (func $borrow-index))
      (export "leak" (func $leak))
      (export "drop-twice" (func $drop-twice))
      (export "pass-as-own" (func $pass-as-own))
      (export "drop" (func $drop))))))
    (func (export "make") (param "rep" u32) (result u32) (canon lift (core func $m "make")))
    (func (export "rep-of") (param "h" u32) (result u32) (canon lift (core func $m "rep-of")))
    (func (export "consume") (param "h" u32) (result u32) (canon lift (core func $m "consume")))
    (func (export "merge") (param "into" u32) (param "from" u32) (result u32)
      (canon lift (core func $m "merge")))
    (func (export "give") (param "h" u32) (result u32) (canon lift (core func $m "give")))
    (func (export "lend") (param "h" u32) (result u32) (canon lift (core func $m "lend")))
    (func (export "lend-index") (param "h" u32) (result u32) (canon lift (core func $m "lend-index")))
    (func (export "lend-leak") (param "h" u32) (canon lift (core func $m "lend-leak")))
    (func (export "lend-drop-twice") (param "h" u32) (canon lift (core func $m "lend-drop-twice")))
    (func (export "lend-as-own") (param "h" u32) (result u32) (canon lift (core func $m "lend-as-own")))
    (func (export "drop") (param "h" u32) (canon lift (core func $m "drop"))))

  (instance $def (instantiate $Def))
  (instance $sink (instantiate $Sink (with "def" (instance $def))))
  (instance $user (instantiate $User (with "def" (instance $def)) (with "sink" (instance $sink))))
  (func (export "make") (alias export $user "make"))
  (func (export "rep-of") (alias export $user "rep-of"))
  (func (export "consume") (alias export $user "consume"))
  (func (export "merge") (alias export $user "merge"))
  (func (export "give") (alias export $user "give"))
  (func (export "lend") (alias export $user "lend"))
  (func (export "lend-index") (alias export $user "lend-index"))
  (func (export "lend-leak") (alias export $user "lend-leak"))
  (func (export "lend-drop-twice") (alias export $user "lend-drop-twice"))
  (func (export "lend-as-own") (alias export $user "lend-as-own"))
  (func (export "drop") (alias export $user "drop"))
  (func (export "sink-value-of") (alias export $sink "value-of"))
  (func (export "sink-drop") (alias export $sink "drop"))
  (func (export "dropped") (alias export $def "dropped"))
  (func (export "dropped-at") (alias export $def "dropped-at"))
)

;; $User holds a handle; a borrow of it reaches $Def as the representation.
(component instance $c $Compose)
(assert_return (invoke "make" (u32.const 70)) (u32.const 1))
(assert_return (invoke "rep-of" (u32.const 1)) (u32.const 70))
(assert_return (invoke "rep-of" (u32.const 1)) (u32.const 70))

;; $User dropping its handle runs $Def's destructor.
(assert_return (invoke "drop" (u32.const 1)))
(assert_return (invoke "dropped") (u32.const 1))
(assert_return (invoke "dropped-at" (u32.const 0)) (u32.const 70))

;; An own given back to $Def leaves $User's table; $Def drops it.
(component instance $c $Compose)
(assert_return (invoke "make" (u32.const 71)) (u32.const 1))
(assert_return (invoke "make" (u32.const 72)) (u32.const 2))
(assert_return (invoke "consume" (u32.const 1)) (u32.const 71))
(assert_return (invoke "dropped-at" (u32.const 0)) (u32.const 71))
(assert_return (invoke "make" (u32.const 73)) (u32.const 1))

;; An own moves from $User to $Sink: $Sink gets index 1 of its own table,
;; $User's index is freed, nothing is destroyed until $Sink drops it.
(component instance $c $Compose)
(assert_return (invoke "make" (u32.const 80)) (u32.const 1))
(assert_return (invoke "make" (u32.const 81)) (u32.const 2))
(assert_return (invoke "give" (u32.const 2)) (u32.const 1))
(assert_return (invoke "give" (u32.const 1)) (u32.const 2))
(assert_return (invoke "dropped") (u32.const 0))
(assert_return (invoke "sink-value-of" (u32.const 1)) (u32.const 81))
(assert_return (invoke "sink-value-of" (u32.const 2)) (u32.const 80))
(assert_return (invoke "make" (u32.const 82)) (u32.const 1))
(assert_return (invoke "sink-drop" (u32.const 2)))
(assert_return (invoke "dropped-at" (u32.const 0)) (u32.const 80))

;; A given-away index is unknown to its old owner.
(component instance $c $Compose)
(assert_return (invoke "make" (u32.const 1)) (u32.const 1))
(assert_return (invoke "give" (u32.const 1)) (u32.const 1))
(assert_trap (invoke "rep-of" (u32.const 1)) "unknown handle index 1")

;; A borrow lent to $Sink is a handle in $Sink's table (its next free
;; index), which $Sink can lend on to $Def; $User keeps its handle, and
;; dropping the borrow destroys nothing.
(component instance $c $Compose)
(assert_return (invoke "make" (u32.const 90)) (u32.const 1))
(assert_return (invoke "make" (u32.const 91)) (u32.const 2))
(assert_return (invoke "give" (u32.const 2)) (u32.const 1))
(assert_return (invoke "lend-index" (u32.const 1)) (u32.const 2))
(assert_return (invoke "lend" (u32.const 1)) (u32.const 90))
(assert_return (invoke "rep-of" (u32.const 1)) (u32.const 90))
(assert_return (invoke "dropped") (u32.const 0))

;; A borrow $Sink does not drop traps at the end of the call.
(component instance $c $Compose)
(assert_return (invoke "make" (u32.const 1)) (u32.const 1))
(assert_trap (invoke "lend-leak" (u32.const 1)) "borrow handles still remain at the end of the call")

;; A borrow dropped twice traps.
(component instance $c $Compose)
(assert_return (invoke "make" (u32.const 1)) (u32.const 1))
(assert_trap (invoke "lend-drop-twice" (u32.const 1)) "unknown handle index 1")

;; A borrow cannot be passed on as an own.
(component instance $c $Compose)
(assert_return (invoke "make" (u32.const 1)) (u32.const 1))
(assert_trap (invoke "lend-as-own" (u32.const 1)) "is a borrow where an own handle is required")

;; Lending one handle while giving another works...
(component instance $c $Compose)
(assert_return (invoke "make" (u32.const 30)) (u32.const 1))
(assert_return (invoke "make" (u32.const 12)) (u32.const 2))
(assert_return (invoke "merge" (u32.const 1) (u32.const 2)) (u32.const 42))
(assert_return (invoke "dropped-at" (u32.const 0)) (u32.const 12))
(assert_return (invoke "rep-of" (u32.const 1)) (u32.const 30))

;; ...but lending and giving away the same handle in one call traps.
(component instance $c $Compose)
(assert_return (invoke "make" (u32.const 1)) (u32.const 1))
(assert_trap (invoke "merge" (u32.const 1) (u32.const 1)) "cannot remove owned resource while borrowed")

;; Destructors run in the order the last handles go, whoever drops them.
(component instance $c $Compose)
(assert_return (invoke "make" (u32.const 1)) (u32.const 1))
(assert_return (invoke "make" (u32.const 2)) (u32.const 2))
(assert_return (invoke "make" (u32.const 3)) (u32.const 3))
(assert_return (invoke "give" (u32.const 3)) (u32.const 1))
(assert_return (invoke "drop" (u32.const 2)))
(assert_return (invoke "sink-drop" (u32.const 1)))
(assert_return (invoke "consume" (u32.const 1)) (u32.const 1))
(assert_return (invoke "dropped") (u32.const 3))
(assert_return (invoke "dropped-at" (u32.const 0)) (u32.const 2))
(assert_return (invoke "dropped-at" (u32.const 1)) (u32.const 3))
(assert_return (invoke "dropped-at" (u32.const 2)) (u32.const 1))

;; Each instantiation of a component defines a new resource type: $Mixer
;; imports two instances of $Def and passes a handle of the first one's R
;; to the second, which traps.
(component definition $Twice
  (component $Def
    (type $R' (resource (rep i32)))
    (core func $new (canon resource.new $R'))
    (core module $M
      (import "r" "new" (func $new (param i32) (result i32)))
      (func (export "make") (param i32) (result i32) (call $new (local.get 0)))
      (func (export "rep-of") (param $rep i32) (result i32) (local.get $rep)))
    (core instance $m (instantiate $M (with "r" (instance (export "new" (func $new))))))
    (export $R "R" (type $R'))
    (func (export "make") (param "rep" u32) (result (own $R)) (canon lift (core func $m "make")))
    (func (export "rep-of") (param "r" (borrow $R)) (result u32) (canon lift (core func $m "rep-of"))))
  (component $Mixer
    (import "a" (instance $a
      (export "R" (type $R (sub resource)))
      (export "make" (func (param "rep" u32) (result (own $R))))
      (export "rep-of" (func (param "r" (borrow $R)) (result u32)))))
    (import "b" (instance $b
      (export "R" (type $R (sub resource)))
      (export "make" (func (param "rep" u32) (result (own $R))))
      (export "rep-of" (func (param "r" (borrow $R)) (result u32)))))
    (core func $a-make (canon lower (func $a "make")))
    (core func $a-rep-of (canon lower (func $a "rep-of")))
    (core func $b-make (canon lower (func $b "make")))
    (core func $b-rep-of (canon lower (func $b "rep-of")))
    (core module $M
      (import "a" "make" (func $a-make (param i32) (result i32)))
      (import "a" "rep-of" (func $a-rep-of (param i32) (result i32)))
      (import "b" "make" (func $b-make (param i32) (result i32)))
      (import "b" "rep-of" (func $b-rep-of (param i32) (result i32)))
      (func (export "a-make") (param i32) (result i32) (call $a-make (local.get 0)))
      (func (export "b-make") (param i32) (result i32) (call $b-make (local.get 0)))
      (func (export "a-rep-of") (param i32) (result i32) (call $a-rep-of (local.get 0)))
      (func (export "b-rep-of") (param i32) (result i32) (call $b-rep-of (local.get 0))))
    (core instance $m (instantiate $M
      (with "a" (instance (export "make" (func $a-make)) (export "rep-of" (func $a-rep-of))))
      (with "b" (instance (export "make" (func $b-make)) (export "rep-of" (func $b-rep-of))))))
    (func (export "a-make") (param "rep" u32) (result u32) (canon lift (core func $m "a-make")))
    (func (export "b-make") (param "rep" u32) (result u32) (canon lift (core func $m "b-make")))
    (func (export "a-rep-of") (param "h" u32) (result u32) (canon lift (core func $m "a-rep-of")))
    (func (export "b-rep-of") (param "h" u32) (result u32) (canon lift (core func $m "b-rep-of"))))
  (instance $a (instantiate $Def))
  (instance $b (instantiate $Def))
  (instance $mixer (instantiate $Mixer (with "a" (instance $a)) (with "b" (instance $b))))
  (func (export "a-make") (alias export $mixer "a-make"))
  (func (export "b-make") (alias export $mixer "b-make"))
  (func (export "a-rep-of") (alias export $mixer "a-rep-of"))
  (func (export "b-rep-of") (alias export $mixer "b-rep-of"))
)
(component instance $t $Twice)
(assert_return (invoke "a-make" (u32.const 5)) (u32.const 1))
(assert_return (invoke "b-make" (u32.const 6)) (u32.const 2))
(assert_return (invoke "a-rep-of" (u32.const 1)) (u32.const 5))
(assert_return (invoke "b-rep-of" (u32.const 2)) (u32.const 6))
(assert_trap (invoke "b-rep-of" (u32.const 1))
  "handle index 1 used with the wrong type, expected guest-defined resource but found a different guest-defined resource")
(component instance $t $Twice)
(assert_return (invoke "b-make" (u32.const 6)) (u32.const 1))
(assert_trap (invoke "a-rep-of" (u32.const 1)) "used with the wrong type")

#!/usr/bin/env python3
"""Small template snippets (one language feature each) rendered by Python jinja2 with Hugging Face's
settings; Tests/TemplatesTests/SnippetTests.swift renders the same snippets and compares bytes.

Writes Tests/Fixtures/Templates/snippets.json. Run from the repository root.
"""
import json
from pathlib import Path

import jinja2

from templates_goldens import environment

ROOT = Path(__file__).resolve().parents[2]

CONTEXT = {
    "s": "  Hello, World!  ",
    "n": 7,
    "f": 2.5,
    "xs": [3, 1, 2],
    "words": ["b", "A", "c", "a"],
    "d": {"b": 2, "a": 1, "C": 3},
    "people": [{"name": "Ann", "age": 31, "tags": ["x"]}, {"name": "bob", "age": 25},
               {"name": "Cy", "age": 31, "tags": []}],
    "nested": {"k": [1, {"deep": "yes"}], "u": "é\"\\\n"},
    "empty": [],
    "nothing": None,
    "flag": True,
}

SNIPPETS = [
    # output and literals
    "{{ 1 }} {{ 1.0 }} {{ 1e20 }} {{ 0.1 + 0.2 }} {{ -3 // 2 }} {{ -3 % 2 }} {{ 7 / 2 }} {{ 2 ** 10 }} {{ 2 ** -1 }}",
    "{{ true }} {{ none }} {{ [1, 'a', none, true, 2.0] }} {{ {'a': 1, 'b': [1]} }} {{ ('x', 1) | list }}",
    "{{ 'a' ~ 1 ~ none ~ true }} {{ 'ab' * 3 }} {{ [1] * 2 + [3] }} {{ 'x' 'y' }}",
    "{{ \"it's\" }} {{ 'say \"hi\"' | list }} {{ ['it\\'s', \"q\\\"\"] }} {{ '\\u00e9\\x41\\t|' }}",
    "{{ undefined_var }}|{{ undefined_var is defined }}|{{ nothing is none }}|{{ d.missing }}|{{ xs[10] }}",
    # whitespace control and trimming
    "a\n  {% if flag %}\n    yes\n  {% endif %}\nb",
    "a  {%- if flag -%}  yes  {%- endif -%}  b\n{{- ' c ' -}}\n d",
    "x\n    {# comment #}\ny {#- trimmed -#} z",
    "{% raw %}{{ not evaluated }}{% endraw %}\n  {%+ if flag %}kept indent{% endif %}",
    "line1\n{% for i in xs %}\n  {{ i }}\n{% endfor %}\nend\n",
    "{% if flag +%}\nplus keeps newline{% endif %}",
    # operators and tests
    "{{ 1 < 2 < 3 }} {{ 3 > 2 > 5 }} {{ 'a' in 'cat' }} {{ 2 not in xs }} {{ 'b' in d }} {{ not flag or n }}",
    "{{ n is odd }} {{ n is even }} {{ n is divisibleby 7 }} {{ n is divisibleby(2) }} {{ xs is sequence }} {{ d is mapping }}",
    "{{ s is string }} {{ n is number }} {{ f is float }} {{ n is integer }} {{ flag is boolean }} {{ flag is true }} {{ nothing is false }}",
    "{{ xs is iterable }} {{ n is iterable }} {{ undefined_var is undefined }} {{ n is eq 7 }} {{ n is ne 7 }} {{ n is lt 8 }} {{ n is ge 8 }}",
    "{{ 'abc' is lower }} {{ 'ABC' is upper }} {{ 'a' is in ['a'] }} {{ nothing is sameas none }}",
    "{{ 'yes' if flag else 'no' }} {{ 'yes' if nothing }}| {{ nothing or 'fallback' }} {{ n and 'and' }}",
    # slicing and subscripts
    "{{ xs[1:] }} {{ xs[::-1] }} {{ xs[-1] }} {{ 'hello'[1:4] }} {{ 'hello'[::2] }} {{ 'hello'[-3:] }} {{ xs[:-1] }} {{ 'héllo'[1] }}",
    "{{ people[0].name }} {{ people[0]['age'] }} {{ nested.k[1].deep }} {{ nested['k'][0] }} {{ people[1].tags }}",
    # loops
    "{% for x in xs %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }};{% endfor %}",
    "{% for x in xs %}{{ loop.previtem }}-{{ loop.nextitem }} {{ loop.cycle('odd', 'even') }};{% endfor %}",
    "{% for x in empty %}never{% else %}empty{% endfor %} {% for k, v in d.items() %}{{ k }}={{ v }},{% endfor %}",
    "{% for p in people if p.age > 30 %}{{ loop.index }}:{{ p.name }} {% endfor %}",
    "{% for x in xs %}{% if x == 1 %}{% continue %}{% endif %}{% if x == 2 %}{% break %}{% endif %}{{ x }}{% endfor %}",
    "{% for c in 'abc' %}{{ c }}.{% endfor %} {% for k in d %}{{ k }}{% endfor %}",
    "{% set total = 0 %}{% for x in xs %}{% set total = total + x %}{% endfor %}{{ total }}",
    "{% set ns = namespace(total=0, names=[]) %}{% for p in people %}{% set ns.total = ns.total + p.age %}{% set ns.names = ns.names + [p.name] %}{% endfor %}{{ ns.total }} {{ ns.names }}",
    # set, macros, call, filter blocks
    "{% set a, b = 1, 2 %}{{ a }}{{ b }} {% set block %}inside {{ n }}{% endset %}[{{ block }}]",
    "{% set up | upper %}shout {{ n }}{% endset %}{{ up }}",
    "{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('Ann') }} {{ greet('Bob', greeting='Hi') }} {{ greet(name='Cy') }}",
    "{% macro rec(n) %}{% if n > 0 %}{{ n }}{{ rec(n - 1) }}{% endif %}{% endmacro %}{{ rec(5) }}",
    "{% macro wrap() %}<{{ caller() }}>{% endmacro %}{% call wrap() %}inner {{ n }}{% endcall %}",
    "{% macro args(a) %}{{ a }}|{{ varargs | list }}|{{ kwargs }}{% endmacro %}{{ args(1, 2, 3, k='v') }}",
    "{% filter upper %}loud {{ s | trim }}{% endfilter %}",
    "{% if flag %}{% set inner = 'leaks' %}{% endif %}{{ inner }}",
    "{% generation %}gen {{ n }}{% endgeneration %}",
    # scoping: loops get their own frame, macros see the template's later top-level assignments
    "{% set x = 1 %}{% for i in xs %}{% set x = i %}{% endfor %}{{ x }}",
    "{% for i in xs %}{% if loop.index == 2 %}[{{ y }}]{% endif %}{% set y = i %}{% endfor %}",
    "{% macro m() %}{{ later }}{% endmacro %}{% set later = 5 %}{{ m() }}",
    "{% macro outer() %}{% set inner = 'a' %}{{ inner }}{% endmacro %}{{ outer() }}{{ inner }}",
    "{% for a in [[1, 2], [3, 4]] %}{% for b in a %}{{ loop.index }}{{ b }}{% endfor %}|{{ loop.index }}{% endfor %}",
    # string filters and methods
    "{{ s | trim }}|{{ s | upper }}|{{ s | lower }}|{{ 'hello world-x (y)' | title }}|{{ 'hELLO wORLD' | capitalize }}|{{ s | length }}",
    "{{ s.strip() }}|{{ s.lstrip() }}|{{ s.rstrip() }}|{{ 'xxhixx'.strip('x') }}|{{ 'hello world'.title() }}|{{ 'a-b'.upper() }}",
    "{{ 'a,b,,c'.split(',') }} {{ '  a  b '.split() }} {{ 'a b c'.split(' ', 1) }} {{ 'a,b,c'.rsplit(',', 1) }} {{ 'l1\\nl2\\n'.splitlines() }}",
    "{{ 'hello'.startswith('he') }} {{ 'hello'.endswith(('x', 'lo')) }} {{ 'hello'.replace('l', 'L') }} {{ 'hello'.replace('l', 'L', 1) }} {{ 'hello'.find('l') }} {{ 'hello'.count('l') }}",
    "{{ '{} and {}'.format('a', 1) }} {{ '{0}{1}{0}'.format('x', 'y') }} {{ '{name}!'.format(name='Ann') }} {{ '-'.join(['a', 'b']) }}",
    "{{ s | replace('l', 'L') }} {{ 'abc' | reverse }} {{ '%s is %d' | format('n', 7) }} {{ 'x' | center(5) }}| {{ 'one two  three' | wordcount }}",
    "{{ 'a\\nb\\n\\nc' | indent(2) }}|{{ 'a\\nb' | indent(2, true) }}|{{ 'a\\n\\nb' | indent('> ', blank=true) }}|{{ 'a\\nb\\n' | indent }}",
    "{{ '<a href=\"x\">&\\'</a>' | escape }} {{ '<b>' | safe }} {{ 42 | string }} {{ nothing | string }}",
    # numeric filters
    "{{ '42' | int }} {{ '4.7' | int }} {{ 'x' | int }} {{ 'x' | int(5) }} {{ 3.9 | int }} {{ '2.5' | float }} {{ 'y' | float }} {{ 7 | float }}",
    "{{ 2.567 | round }} {{ 2.567 | round(2) }} {{ 2.5 | round }} {{ 2.1 | round(0, 'ceil') }} {{ 2.9 | round(method='floor') }} {{ -3 | abs }} {{ -2.5 | abs }}",
    "{{ xs | sum }} {{ people | sum(attribute='age') }} {{ xs | min }} {{ xs | max }} {{ words | min }} {{ words | max }} {{ people | max(attribute='age') }}",
    # sequence filters
    "{{ xs | first }} {{ xs | last }} {{ xs | length }} {{ d | length }} {{ xs | join(', ') }} {{ people | join('/', attribute='name') }} {{ empty | first }}",
    "{{ xs | sort }} {{ xs | sort(reverse=true) }} {{ words | sort }} {{ words | sort(case_sensitive=true) }} {{ people | sort(attribute='age') | map(attribute='name') | list }}",
    "{{ words | unique | list }} {{ words | unique(case_sensitive=true) | list }} {{ xs | reverse | list }} {{ 'abc' | list }} {{ d | list }}",
    "{{ people | map(attribute='name') | list }} {{ ['a', 'B'] | map('upper') | list }} {{ people | map(attribute='tags', default='none') | list }}",
    "{{ xs | select('odd') | list }} {{ xs | reject('odd') | list }} {{ [0, 1, '', 'a', none] | select | list }} {{ xs | select('gt', 1) | list }}",
    "{{ people | selectattr('age', 'equalto', 31) | map(attribute='name') | list }} {{ people | rejectattr('tags') | map(attribute='name') | list }} {{ people | selectattr('tags', 'defined') | list | length }}",
    # tuples print with parentheses in Python; these join them instead (Swift models tuples as lists)
    "{{ d | dictsort | map('join', '=') | join(',') }} {{ d | dictsort(true) | map('join', '=') | join(',') }} {{ d | dictsort(by='value', reverse=true) | map('join', '=') | join(',') }} {{ d | items | map('join', '=') | join(',') }} {% for k, v in d.items() %}{{ k }}{{ v }}{% endfor %}",
    "{{ d.keys() | list }} {{ d.values() | list }} {{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 'dflt') }} {{ xs | batch(2) | list }}",
    "{{ undefined_var | default('dv') }} {{ '' | default('dv') }} {{ '' | default('dv', true) }} {{ nothing | default('dv') }} {{ undefined_var | length }}",
    "{% set m = {0: 'zero', 512: 'big', 'k': 1} %}{{ m[512] }} {{ m }} {{ m | tojson }} {{ 0 in m }} {{ '0' in m }} {{ m.get(0) }} {% for k, v in {2: 'a', 10: 'b'} | dictsort(reverse=true) %}{{ k + 1 }}{% endfor %}",
    "{{ none | selectattr('a') | list }} {{ none | map('upper') | list }} {{ '' | select | list }}",
    # tojson with Hugging Face's semantics
    "{{ nested | tojson }}",
    "{{ people | tojson(indent=2) }}",
    "{{ d | tojson(sort_keys=true) }} {{ [1.0, 2.5e-7, 1e22, true, none] | tojson }} {{ 'é中🎉<>&\\'' | tojson }} {{ {} | tojson }} {{ [] | tojson(indent=4) }}",
    "{{ d | tojson(separators=(',', ':')) }} {{ {'a': {'b': []}} | tojson(indent='\\t') }}",
    # globals
    "{{ range(3) | list }} {{ range(1, 10, 3) | list }} {{ range(5, 0, -2) | list }} {{ dict(a=1, b='x') }} {{ namespace(a=1).a }}",
    "{{ strftime_now('%Y-%m-%d %d %b %Y %B %A %a %H:%M') }}",
    # errors jinja2 raises
    "{{ raise_exception('custom failure') }}",
    "{{ 1 + 'a' }}",
    "{{ undefined_var.attr }}",
    "{% for x in n %}{% endfor %}",
    "{{ xs.append(4) }}",
]


def main():
    env = environment()
    out = []
    for text in SNIPPETS:
        case = {"template": text}
        try:
            case["output"] = env.from_string(text).render(**CONTEXT)
        except Exception as e:
            case["error"] = {"kind": "raised" if type(e) is jinja2.exceptions.TemplateError else "error",
                             "type": type(e).__name__, "message": str(e)}
        out.append(case)
    doc = {"context": CONTEXT, "cases": out}
    path = ROOT / "Tests/Fixtures/Templates/snippets.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(out)} snippets, {sum('error' in c for c in out)} expected errors")


if __name__ == "__main__":
    main()

import { Symbl } from 'symbl-sdk'
import { runPage } from '../../shared/page.js'

runPage(Symbl)
